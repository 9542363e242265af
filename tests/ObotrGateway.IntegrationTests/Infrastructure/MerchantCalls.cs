using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ObotrGateway.IntegrationTests.Infrastructure;

/// <summary>Small helpers over the merchant API, so tests read as the flows they check.</summary>
internal static class MerchantCalls
{
    public static async Task<JsonElement> AddCardAsync(this HttpClient client, string pan, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await client.PostAsJsonAsync("/v1/gateway-tokens", new { card = TestCards.Card(pan) });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.StatusCode.ShouldBe(expected, body.ToString());
        return body;
    }

    /// <summary>Adds a card and waits (via refresh=true) until the simulator has activated the token.</summary>
    public static async Task<string> AddActiveCardAsync(this HttpClient client, string pan = TestCards.Approved)
    {
        var token = (await client.AddCardAsync(pan)).As<GatewayTokenResponse>().GatewayToken;
        await client.WaitUntilActiveAsync(token);
        return token;
    }

    /// <summary>Reads the token with refresh=true (the gateway asks MDES) until it is ACTIVE.</summary>
    public static Task WaitUntilActiveAsync(this HttpClient client, string gatewayToken) =>
        Eventually.ReachesAsync(
            () => client.GetFromJsonAsync<JsonElement>($"/v1/gateway-tokens/{gatewayToken}?refresh=true"),
            token => token.GetProperty("status").GetString() == "ACTIVE",
            ActivationTimeout, last => $"{gatewayToken} did not become ACTIVE; last: {last}");

    /// <summary>
    /// How long a new token may take to become ACTIVE (the simulator activates after 300 ms). The attempt-counted loop
    /// this replaced polled 40 times, 100 ms apart, each poll a refresh through MDES: seconds of polls on a loaded machine.
    /// </summary>
    public static readonly TimeSpan ActivationTimeout = TimeSpan.FromSeconds(30);

    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(
        this HttpClient client, string path, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    public static string Code(this JsonElement problem) => problem.GetProperty("code").GetString()!;
}
