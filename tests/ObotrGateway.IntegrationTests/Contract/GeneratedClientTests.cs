using System.Net.Http.Headers;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using ObotrGateway.IntegrationTests.GeneratedClient;
using ObotrGateway.IntegrationTests.GeneratedClient.Models;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Contract;

/// <summary>
/// The merchant flow driven only through the C# client Kiota generates from the served document (GeneratedClient/,
/// never edited by hand; deploy/local/openapi.sh checks it is current, ADR 1002), against the real gateway on Kestrel and
/// the simulator over HTTP. If the document lies — a required member that is optional, a string that is a number, a
/// missing response — the client sends what the gateway refuses or cannot read what it answers.
/// </summary>
[Collection(GatewayTestGroup.Name)]
public sealed class GeneratedClientTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Generated_client_adds_a_card_pays_hands_off_and_deletes()
    {
        var (merchant, _) = await fixture.NewMerchantAsync();
        using var http = Http(merchant.ApiKey);
        var client = Client(http);

        var added = await client.V1.GatewayTokens.PostAsync(new AddCardRequest
        {
            Card = new CardRequest { Pan = TestCards.Approved, ExpiryMonth = 12, ExpiryYear = 2031 },
        });
        added.ShouldNotBeNull();
        var token = added.GatewayToken!;
        token.ShouldStartWith("gt_");
        (await ActiveAsync(client, token)).Status.ShouldBe("ACTIVE");

        // The smallest valid payment: gatewayToken, amount, currency.
        var payment = await client.V1.Payments.PostAsync(new CreatePaymentRequest { GatewayToken = token, Amount = 1500, Currency = "EUR" });
        payment.ShouldNotBeNull();
        payment.Status.ShouldBe(PaymentView_status.Authorized);
        payment.Amount.ShouldBe(1500);
        payment.Recurring.ShouldBe(PaymentView_recurring.None);
        payment.NetworkTokenUsed.ShouldBe(true);
        (await client.V1.Payments[payment.PaymentId!.Value].GetAsync())!.PaymentId.ShouldBe(payment.PaymentId);

        var handOff = await client.V1.NetworkTokens.PostAsync(new NetworkTokenRequest { GatewayToken = token });
        handOff.ShouldNotBeNull();
        handOff.GatewayToken.ShouldBe(token);
        handOff.Cryptogram.ShouldNotBeNullOrEmpty();
        fixture.SecretsSeen.Add(handOff.TokenNumber!);

        var cryptogram = await client.V1.GatewayTokens[token].Cryptograms.PostAsync(new CryptogramRequest());
        cryptogram.ShouldNotBeNull();
        cryptogram.TokenNumber.ShouldBe(handOff.TokenNumber);
        cryptogram.Cryptogram.ShouldNotBe(handOff.Cryptogram);

        var deleted = await client.V1.GatewayTokens[token].DeleteAsync();
        deleted.ShouldNotBeNull();
        deleted.Result.ShouldBe("deleted");
        (await client.V1.GatewayTokens[token].GetAsync())!.Status.ShouldBe("DEACTIVATED");
    }

    [Fact]
    public async Task Generated_client_reads_problems_as_typed_errors_with_their_code()
    {
        var (merchant, _) = await fixture.NewMerchantAsync();
        using var http = Http(merchant.ApiKey);
        var client = Client(http);

        var missing = await Should.ThrowAsync<Problem>(() => client.V1.Payments[Guid.NewGuid()].GetAsync());
        missing.Code.ShouldBe(Problem_code.Payment_not_found);
        missing.ResponseStatusCode.ShouldBe(404);

        var invalid = await Should.ThrowAsync<Problem>(() => client.V1.GatewayTokens.PostAsync(new AddCardRequest
        {
            Card = new CardRequest { Pan = "5204730000100004", ExpiryMonth = 12, ExpiryYear = 2031 },
        }));
        invalid.Code.ShouldBe(Problem_code.Invalid_card);

        using var wrongKey = Http("obk_not-a-key");
        var unauthorized = await Should.ThrowAsync<Problem>(() => Client(wrongKey).V1.Merchant.GetAsync());
        unauthorized.Code.ShouldBe(Problem_code.Unauthorized);
    }

    /// <summary>Plain HTTP to the gateway's Kestrel port, the key as a merchant sends it.</summary>
    private HttpClient Http(string apiKey)
    {
        var http = new HttpClient { BaseAddress = fixture.GatewayAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http;
    }

    // The key travels as the HttpClient's default header: Kiota's bearer providers insist on https, and the test gateway
    // listens on plain http loopback.
    private GatewayClient Client(HttpClient http) =>
        new(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = fixture.GatewayAddress.ToString().TrimEnd('/') });

    private static async Task<GatewayTokenView> ActiveAsync(GatewayClient client, string token)
    {
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var current = await client.V1.GatewayTokens[token].GetAsync(request => request.QueryParameters.Refresh = true);
            if (current?.Status == "ACTIVE")
            {
                return current;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"{token} did not become ACTIVE");
    }
}
