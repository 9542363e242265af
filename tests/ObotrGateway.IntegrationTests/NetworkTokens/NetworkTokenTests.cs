using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.NetworkTokens;

[Collection(GatewayTestGroup.Name)]
public sealed class NetworkTokenTests(GatewayFixture fixture)
{
    private async Task<JsonElement> AuthorizeElsewhereAsync(JsonElement handoff)
    {
        // Another gateway authorizing with what we handed over: straight to the (simulated) acquirer.
        var response = await fixture.Simulator.Http.PostAsJsonAsync("/acquirer/authorizations", new
        {
            tokenNumber = handoff.GetProperty("tokenNumber").GetString(),
            expiryMonth = handoff.GetProperty("expiryMonth").GetString(),
            expiryYear = handoff.GetProperty("expiryYear").GetString()![2..],
            cryptogram = handoff.GetProperty("cryptogram").GetString(),
            sli = "246",
            amount = 2500,
            currency = "EUR",
        });
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Handoff_for_a_gateway_token_gives_a_cryptogram_the_acquirer_accepts_exactly_once()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = await client.AddActiveCardAsync();

            var (status, handoff, _) = await client.PostAsync("/v1/network-tokens", new { gatewayToken = token });
            fixture.SecretsSeen.Add(handoff.GetProperty("tokenNumber").GetString()!);

            status.ShouldBe(HttpStatusCode.Created, handoff.ToString());
            handoff.GetProperty("gatewayToken").GetString().ShouldBe(token);
            handoff.GetProperty("expiryYear").GetString()!.Length.ShouldBe(4);
            (await AuthorizeElsewhereAsync(handoff)).GetProperty("status").GetString().ShouldBe("approved");
            var replay = await AuthorizeElsewhereAsync(handoff);
            replay.GetProperty("status").GetString().ShouldBe("declined");
            replay.GetProperty("declineReason").GetString().ShouldBe("CRYPTOGRAM_ALREADY_USED");
        }
    }

    [Fact]
    public async Task Handoff_for_a_card_tokenizes_it_first()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var (status, handoff, _) = await client.PostAsync("/v1/network-tokens", new { card = TestCards.Card(TestCards.OtherApproved) });
            fixture.SecretsSeen.Add(handoff.GetProperty("tokenNumber").GetString()!);

            status.ShouldBe(HttpStatusCode.Created, handoff.ToString());
            handoff.GetProperty("gatewayToken").GetString().ShouldStartWith("gt_");
            handoff.GetProperty("tokenNumber").GetString().ShouldNotBe(TestCards.OtherApproved);
            (await AuthorizeElsewhereAsync(handoff)).GetProperty("status").GetString().ShouldBe("approved");
        }
    }

    [Fact]
    public async Task Each_additional_cryptogram_is_fresh()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = await client.AddActiveCardAsync();

            var first = await client.PostAsync($"/v1/gateway-tokens/{token}/cryptograms", new { });
            var second = await client.PostAsync($"/v1/gateway-tokens/{token}/cryptograms", new { });
            fixture.SecretsSeen.Add(first.Body.GetProperty("tokenNumber").GetString()!);

            first.Status.ShouldBe(HttpStatusCode.Created);
            second.Body.GetProperty("cryptogram").GetString().ShouldNotBe(first.Body.GetProperty("cryptogram").GetString());
            (await AuthorizeElsewhereAsync(second.Body)).GetProperty("status").GetString().ShouldBe("approved");
            (await AuthorizeElsewhereAsync(first.Body)).GetProperty("status").GetString().ShouldBe("approved");
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
