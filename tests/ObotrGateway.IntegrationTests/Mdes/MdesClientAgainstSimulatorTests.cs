using Microsoft.Extensions.DependencyInjection;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.Wire;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Mdes;

/// <summary>
/// The gateway's own MDES client (encryption, OAuth1, wire types) against the independently written simulator
/// over real HTTP: the two sides share no code, so agreement here is evidence both follow the contract.
/// </summary>
[Collection(TokenLifecycleTestGroup.Name)]
public sealed class MdesClientAgainstSimulatorTests(GatewayFixture fixture)
{
    private static TokenizeRequest Tokenize(string pan, string taskId) => new()
    {
        TaskId = taskId,
        FundingAccountInfo = new FundingAccountInfo
        {
            EncryptedPayload = new FundingAccountPayload(new FundingAccountData
            {
                CardAccountData = new CardAccountData { AccountNumber = pan, ExpiryMonth = "12", ExpiryYear = "31", SecurityCode = "123" },
                Source = "ACCOUNT_ADDED_MANUALLY",
            }),
        },
    };

    [Fact]
    public async Task All_nine_operations_round_trip_through_encryption_and_signing()
    {
        using var scope = fixture.Factory.Services.CreateScope();
        var client = scope.ServiceProvider.GetRequiredService<IMdesClient>();
        var call = new MdesCallContext(GatewayFixture.NewTrid());
        var taskId = Guid.NewGuid().ToString("N");

        var tokenized = await client.TokenizeAsync(Tokenize(TestCards.Approved, taskId), call);
        tokenized.Decision.ShouldBe(TokenizeResponse.Approved);
        var tur = tokenized.TokenUniqueReference!;
        tokenized.TokenDetail!.EncryptedData!.PaymentAccountReference!.Length.ShouldBe(29);

        var task = await client.GetTaskStatusAsync(new GetTaskStatusRequest { TaskId = taskId }, call);
        task.Status.ShouldBeOneOf(GetTaskStatusResponse.Pending, GetTaskStatusResponse.InProgress, GetTaskStatusResponse.Completed);

        await Task.Delay(500); // activation delay in the fixture is 300 ms
        var token = await client.GetTokenAsync(new GetTokenRequest { TokenUniqueReference = tur, IncludeTokenDetail = true }, call);
        token.Token!.Status.ShouldBe("ACTIVE");
        token.TokenDetail!.EncryptedData!.TokenNumber!.ShouldNotBe(TestCards.Approved);
        fixture.SecretsSeen.Add(token.TokenDetail.EncryptedData.TokenNumber!);

        var transacted = await client.TransactAsync(new TransactRequest { TokenUniqueReference = tur, UnpredictableNumber = "1A2B3C4D" }, call);
        transacted.EncryptedPayload!.EncryptedData!.De48se43Data!.ShouldNotBeNullOrEmpty();
        transacted.EncryptedPayload.EncryptedData.AccountNumber.ShouldBe(token.TokenDetail.EncryptedData.TokenNumber);

        var found = await client.SearchTokensAsync(new SearchTokensRequest
        {
            FundingAccountInfo = Tokenize(TestCards.Approved, "unused").FundingAccountInfo,
        }, call);
        found.Tokens.Select(t => t.TokenUniqueReference).ShouldContain(tur);

        var change = new TokenStatusChangeRequest { TokenUniqueReferences = [tur], CausedBy = "TOKEN_REQUESTOR", ReasonCode = "OTHER" };
        (await client.SuspendAsync(change, call)).Tokens.Single().Status.ShouldBe("SUSPENDED");
        (await client.UnsuspendAsync(change, call)).Tokens.Single().Status.ShouldBe("ACTIVE");
        (await client.DeleteAsync(change, call)).Tokens.Single().Status.ShouldBe("DEACTIVATED");

        var asset = await client.GetAssetAsync(tokenized.ProductConfig!.BrandLogoAssetId!, call);
        asset.MediaContents.ShouldNotBeEmpty();
        Convert.FromBase64String(asset.MediaContents[0].Data!).Length.ShouldBeGreaterThan(8);
    }

    [Fact]
    public async Task Simulator_errors_arrive_as_typed_mdes_errors_with_the_reason_code()
    {
        using var scope = fixture.Factory.Services.CreateScope();
        var client = scope.ServiceProvider.GetRequiredService<IMdesClient>();
        var call = new MdesCallContext(GatewayFixture.NewTrid());

        var ineligible = await Should.ThrowAsync<MdesException>(() => client.TokenizeAsync(Tokenize(TestCards.Ineligible, Guid.NewGuid().ToString("N")), call));
        var unknown = await Should.ThrowAsync<MdesException>(() => client.GetTokenAsync(
            new GetTokenRequest { TokenUniqueReference = "DWSPMC000000000000000000000000000000000000000000099" }, call));

        ineligible.ReasonCode.ShouldBe("PAN_INELIGIBLE");
        unknown.ReasonCode.ShouldBe("INVALID_TOKEN_UNIQUE_REFERENCE");
        ineligible.Message.ShouldNotContain(TestCards.Ineligible);
    }

    [Fact]
    public async Task More_than_ten_turs_are_refused_before_anything_is_sent()
    {
        using var scope = fixture.Factory.Services.CreateScope();
        var client = scope.ServiceProvider.GetRequiredService<IMdesClient>();
        var turs = Enumerable.Range(0, 11).Select(i => $"DWSPMC{i:D45}").ToList();

        await Should.ThrowAsync<MdesRequestValidationException>(() => client.DeleteAsync(
            new TokenStatusChangeRequest { TokenUniqueReferences = turs, CausedBy = "TOKEN_REQUESTOR", ReasonCode = "OTHER" },
            new MdesCallContext(GatewayFixture.NewTrid())));
    }
}
