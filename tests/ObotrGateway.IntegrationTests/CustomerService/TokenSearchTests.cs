using System.Net;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.IntegrationTests.TokenLifecycle;

namespace ObotrGateway.IntegrationTests.CustomerService;

[Collection(CardsTestGroup.Name)]
public sealed class TokenSearchTests(GatewayFixture fixture)
{
    // A card of its own, so tokens other tests create for the shared test cards do not show up here.
    private const string SearchedCard = "5204730000100037";

    [Fact]
    public async Task Search_maps_the_merchants_tokens_and_lists_the_rest_of_its_trid_as_unmapped()
    {
        fixture.SecretsSeen.Add(SearchedCard);
        var (merchant, client) = await fixture.NewMerchantAsync();
        var (_, other) = await fixture.NewMerchantAsync();
        using (client)
        using (other)
        {
            var mine = await client.AddActiveCardAsync(SearchedCard);
            var theirs = (await other.AddCardAsync(SearchedCard)).As<GatewayTokenResponse>().GatewayToken;
            // A token under this merchant's TRID that the gateway never issued (made directly at MDES).
            var outside = (await fixture.Simulator.Mdes.TokenizeAsync(SearchedCard, trid: merchant.TokenRequestorId)).Body["tokenUniqueReference"]!.GetValue<string>();
            await client.PostAsync($"/v1/gateway-tokens/{mine}/suspend", new { });

            var (status, body, _) = await client.PostAsync("/v1/customer-service/token-search", new { pan = SearchedCard, expiryMonth = 12, expiryYear = 2031 });

            status.ShouldBe(HttpStatusCode.OK, body.ToString());
            var tokens = body.GetProperty("tokens").EnumerateArray().ToList();
            tokens.Count.ShouldBe(1);
            tokens[0].GetProperty("gatewayToken").GetString().ShouldBe(mine);
            tokens[0].GetProperty("status").GetString().ShouldBe("SUSPENDED");
            tokens[0].GetProperty("suspendedBy").EnumerateArray().Select(party => party.GetString()).ShouldBe(["TOKEN_REQUESTOR"]);
            var unmapped = body.GetProperty("unmapped").EnumerateArray().ToList();
            unmapped.Count.ShouldBe(1);
            unmapped[0].GetProperty("tokenUniqueReference").GetString().ShouldBe(outside);
            body.ToString().ShouldNotContain(theirs);
            body.ToString().ShouldNotContain(await fixture.TurOfAsync(theirs));
        }
    }

    [Theory]
    [InlineData(TestCards.NotLuhn, null, null)]
    [InlineData("52047300", null, null)]
    [InlineData("5204 7300 0010 0003", null, null)]
    [InlineData(TestCards.Approved, 12, null)]
    [InlineData(TestCards.Approved, 13, 2031)]
    public async Task Bad_card_is_refused_without_a_network_call(string pan, int? expiryMonth, int? expiryYear)
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var (status, problem, _) = await client.PostAsync("/v1/customer-service/token-search", new { pan, expiryMonth, expiryYear });

            status.ShouldBe(HttpStatusCode.BadRequest);
            problem.Code().ShouldBe("invalid_card");
            problem.ToString().ShouldNotContain(pan);
            (await fixture.MdesRequestsAsync("searchTokens"))
                .ShouldNotContain(entry => entry["tokenRequestorId"] != null && entry["tokenRequestorId"]!.GetValue<string>() == merchant.TokenRequestorId);
        }
    }

    [Fact]
    public async Task Search_for_a_card_without_tokens_returns_empty_lists()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var (status, body, _) = await client.PostAsync("/v1/customer-service/token-search", new { pan = TestCards.OtherApproved });

            status.ShouldBe(HttpStatusCode.OK, body.ToString());
            body.GetProperty("tokens").GetArrayLength().ShouldBe(0);
            body.GetProperty("unmapped").GetArrayLength().ShouldBe(0);
        }
    }
}
