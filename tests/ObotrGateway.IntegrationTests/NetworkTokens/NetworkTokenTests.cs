using System.Net;
using System.Net.Http.Json;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.NetworkTokens;

[Collection(CardsTestGroup.Name)]
public sealed class NetworkTokenTests(GatewayFixture fixture)
{
    private async Task<AuthorizationResponse> AuthorizeElsewhereAsync(NetworkTokenResponse handoff)
    {
        // Another gateway authorizing with what we handed over: straight to the (simulated) acquirer.
        var response = await fixture.Simulator.Http.PostAsJsonAsync("/acquirer/authorizations", new
        {
            tokenNumber = handoff.TokenNumber,
            expiryMonth = handoff.ExpiryMonth,
            expiryYear = handoff.ExpiryYear[2..],
            cryptogram = handoff.Cryptogram,
            sli = "246",
            amount = 2500,
            currency = "EUR",
        });
        return await response.Content.AsAsync<AuthorizationResponse>();
    }

    [Fact]
    public async Task Handoff_for_a_gateway_token_gives_a_cryptogram_the_acquirer_accepts_exactly_once()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = await client.AddActiveCardAsync();

            var (status, body, _) = await client.PostAsync("/v1/network-tokens", new { gatewayToken = token });
            status.ShouldBe(HttpStatusCode.Created, body.ToString());
            var handoff = body.As<NetworkTokenResponse>();
            fixture.SecretsSeen.Add(handoff.TokenNumber);

            handoff.GatewayToken.ShouldBe(token);
            handoff.ExpiryYear.Length.ShouldBe(4);
            (await AuthorizeElsewhereAsync(handoff)).Status.ShouldBe("approved");
            var replay = await AuthorizeElsewhereAsync(handoff);
            replay.Status.ShouldBe("declined");
            replay.DeclineReason.ShouldBe("CRYPTOGRAM_ALREADY_USED");
        }
    }

    [Fact]
    public async Task Handoff_for_a_card_tokenizes_it_first()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var (status, body, _) = await client.PostAsync("/v1/network-tokens", new { card = TestCards.Card(TestCards.OtherApproved) });
            status.ShouldBe(HttpStatusCode.Created, body.ToString());
            var handoff = body.As<NetworkTokenResponse>();
            fixture.SecretsSeen.Add(handoff.TokenNumber);

            handoff.GatewayToken.ShouldStartWith("gt_");
            handoff.TokenNumber.ShouldNotBe(TestCards.OtherApproved);
            (await AuthorizeElsewhereAsync(handoff)).Status.ShouldBe("approved");
        }
    }

    [Fact]
    public async Task Each_additional_cryptogram_is_fresh()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = await client.AddActiveCardAsync();

            var (firstStatus, firstBody, _) = await client.PostAsync($"/v1/gateway-tokens/{token}/cryptograms", new { });
            var (secondStatus, secondBody, _) = await client.PostAsync($"/v1/gateway-tokens/{token}/cryptograms", new { });
            firstStatus.ShouldBe(HttpStatusCode.Created, firstBody.ToString());
            secondStatus.ShouldBe(HttpStatusCode.Created, secondBody.ToString());
            var (first, second) = (firstBody.As<NetworkTokenResponse>(), secondBody.As<NetworkTokenResponse>());
            fixture.SecretsSeen.Add(first.TokenNumber);

            second.Cryptogram.ShouldNotBe(first.Cryptogram);
            (await AuthorizeElsewhereAsync(second)).Status.ShouldBe("approved");
            (await AuthorizeElsewhereAsync(first)).Status.ShouldBe("approved");
        }
    }

    [Fact]
    public async Task Handoff_needs_exactly_one_of_gateway_token_or_card()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var (status, body, _) = await client.PostAsync("/v1/network-tokens", new { });

            status.ShouldBe(HttpStatusCode.BadRequest);
            body.Code().ShouldBe("invalid_request");
        }
    }
}
