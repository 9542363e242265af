using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Hosting;

/// <summary>
/// Over a real socket to Kestrel (the Server header is Kestrel's, not the pipeline's): every answer that carries a
/// token number, cryptogram, API key or signing secret is no-store, and every answer is nosniff without Server.
/// </summary>
[Collection(GatewayTestGroup.Name)]
public sealed class SecurityHeadersTests(GatewayFixture fixture)
{
    private HttpClient Socket(string apiKey)
    {
        var client = new HttpClient { BaseAddress = fixture.GatewayAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    private static void ShouldBeHardened(HttpResponseMessage response, string what)
    {
        response.Headers.CacheControl?.NoStore.ShouldBeTrue(what);
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"], what);
        response.Headers.Contains("Server").ShouldBeFalse(what);
    }

    [Fact]
    public async Task Responses_with_keys_tokens_cryptograms_or_secrets_are_no_store_nosniff_and_nameless()
    {
        using var admin = Socket(GatewayFixture.AdminKey);
        var created = await admin.PostAsJsonAsync("/v1/admin/merchants", new { name = "Headers", tokenRequestorId = GatewayFixture.NewTrid() });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        ShouldBeHardened(created, "admin create merchant (API key)");
        var merchant = (await created.Content.ReadFromJsonAsync<TestMerchant>())!;
        fixture.SecretsSeen.Add(merchant.ApiKey);

        var rotated = await admin.PostAsync($"/v1/admin/merchants/{merchant.MerchantId}/rotate-key", null);
        rotated.StatusCode.ShouldBe(HttpStatusCode.OK);
        ShouldBeHardened(rotated, "admin rotate key (API key)");
        var apiKey = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString()!;
        fixture.SecretsSeen.Add(apiKey);

        using var client = Socket(apiKey);
        var webhook = await client.PutAsJsonAsync("/v1/merchant/webhook", new { url = "https://merchant.example/hooks" });
        webhook.StatusCode.ShouldBe(HttpStatusCode.OK);
        ShouldBeHardened(webhook, "webhook registration (signing secret)");

        var token = await client.AddActiveCardAsync();
        var (_, _, handoff) = await client.PostAsync("/v1/network-tokens", new { gatewayToken = token }, "headers-handoff");
        handoff.StatusCode.ShouldBe(HttpStatusCode.Created);
        ShouldBeHardened(handoff, "network token hand-off (token number, cryptogram)");
        fixture.SecretsSeen.Add((await handoff.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tokenNumber").GetString()!);

        var (_, _, replay) = await client.PostAsync("/v1/network-tokens", new { gatewayToken = token }, "headers-handoff");
        replay.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        ShouldBeHardened(replay, "replayed hand-off");

        var (_, _, cryptogram) = await client.PostAsync($"/v1/gateway-tokens/{token}/cryptograms", new { });
        cryptogram.IsSuccessStatusCode.ShouldBeTrue();
        ShouldBeHardened(cryptogram, "cryptogram");

        var (_, _, payment) = await client.PostAsync("/v1/payments", new { gatewayToken = token, amount = 500, currency = "EUR" });
        payment.StatusCode.ShouldBe(HttpStatusCode.Created);
        ShouldBeHardened(payment, "payment");
    }

    [Fact]
    public async Task Errors_and_unauthenticated_answers_are_nosniff_without_a_server_header()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.GatewayAddress };

        var unauthorized = await anonymous.GetAsync("/v1/merchant");
        var missing = await anonymous.GetAsync("/v1/no-such-route");
        var live = await anonymous.GetAsync("/health/live");

        unauthorized.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var response in new[] { unauthorized, missing, live })
        {
            ShouldBeHardened(response, response.RequestMessage!.RequestUri!.AbsolutePath);
        }
    }
}
