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
        var token = (await client.AddCardAsync(pan)).GetProperty("gatewayToken").GetString()!;
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var current = await client.GetFromJsonAsync<JsonElement>($"/v1/gateway-tokens/{token}?refresh=true");
            if (current.GetProperty("status").GetString() == "ACTIVE")
            {
                return token;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"{token} did not become ACTIVE");
    }

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
