using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.IntegrationTests.Notifications;

namespace ObotrGateway.IntegrationTests.Webhooks;

/// <summary>
/// A merchant's webhook receiver on loopback: records what arrives at /hooks, answers 500 to the first <see cref="FailFirst"/>
/// requests; /redirect answers 302 to /hooks.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private WebApplication _app = null!;
    private int _requests;

    public ConcurrentQueue<(Dictionary<string, string> Headers, string Body)> Received { get; } = new();
    public int FailFirst { get; set; }
    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        receiver._app = builder.Build();
        receiver._app.MapPost("/hooks", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            if (Interlocked.Increment(ref receiver._requests) <= receiver.FailFirst)
            {
                return Results.StatusCode(500);
            }

            // Copied: Kestrel recycles the request's header collection once the request ends.
            var headers = context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            receiver.Received.Enqueue((headers, body));
            return Results.Ok();
        });
        receiver._app.MapPost("/redirect", () => Results.Redirect("/hooks", permanent: false, preserveMethod: true));
        await receiver._app.StartAsync();
        receiver.Url = new Uri(receiver._app.Urls.First() + "/hooks");
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

[Collection(GatewayTestGroup.Name)]
public sealed class WebhookTests(GatewayFixture fixture)
{
    private static readonly DateTimeOffset T0 = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);

    internal static async Task<JsonElement> PutWebhookAsync(HttpClient client, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await client.PutAsJsonAsync("/v1/merchant/webhook", body);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.StatusCode.ShouldBe(expected, answer.ToString());
        return answer;
    }

    [Fact]
    public async Task Webhook_registration_shows_the_secret_once_and_rejects_bad_urls()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var created = await PutWebhookAsync(client, new { url = "https://merchant.example/hooks" });
            var secret = created.GetProperty("signingSecret").GetString()!;
            fixture.SecretsSeen.Add(secret);
            secret.ShouldStartWith("whsec_");

            var again = await PutWebhookAsync(client, new { url = "https://merchant.example/other" });
            again.GetProperty("signingSecret").ValueKind.ShouldBe(JsonValueKind.Null);
            (await client.GetFromJsonAsync<JsonElement>("/v1/merchant/webhook")).GetProperty("url").GetString().ShouldBe("https://merchant.example/other");
            var rotated = await PutWebhookAsync(client, new { url = "https://merchant.example/other", rotateSecret = true });
            var newSecret = rotated.GetProperty("signingSecret").GetString()!;
            fixture.SecretsSeen.Add(newSecret);
            newSecret.ShouldNotBe(secret);

            (await PutWebhookAsync(client, new { url = "ftp://merchant.example/x" }, HttpStatusCode.BadRequest)).Code().ShouldBe("invalid_webhook_url");
            (await PutWebhookAsync(client, new { url = "not a url" }, HttpStatusCode.BadRequest)).Code().ShouldBe("invalid_webhook_url");

            using var admin = fixture.AdminClient();
            var byAdmin = await admin.PutAsJsonAsync($"/v1/admin/merchants/{merchant.MerchantId}/webhook", new { url = "https://merchant.example/admin" });
            byAdmin.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await client.GetFromJsonAsync<JsonElement>("/v1/merchant/webhook")).GetProperty("url").GetString().ShouldBe("https://merchant.example/admin");
        }
    }

    [Fact]
    public async Task Token_change_is_delivered_signed_after_a_failed_attempt_and_logged()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailFirst = 1;
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        using (var sender = new NtuSender(fixture))
        {
            var secret = (await PutWebhookAsync(client, new { url = receiver.Url.ToString() })).GetProperty("signingSecret").GetString()!;
            fixture.SecretsSeen.Add(secret);
            var tur = NtuSender.NewTur();
            var (_, token) = await sender.InsertTokenAsync(merchant.MerchantId, merchant.TokenRequestorId, tur, T0);

            (await sender.SendAsync("hook-" + tur[^8..], NtuSender.Update(tur, merchant.TokenRequestorId, "SUSPENDED", T0.AddMinutes(1), "DEVICE_LOST")))
                .StatusCode.ShouldBe(HttpStatusCode.OK);

            await NtuTestSupport.WaitUntilAsync(() => Task.FromResult(!receiver.Received.IsEmpty), TimeSpan.FromSeconds(15), "no webhook delivered");
            var (headers, body) = receiver.Received.Single();
            var timestamp = headers["Obotr-Timestamp"];
            var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body)));
            headers["Obotr-Signature"].ShouldBe(expected);
            var json = JsonDocument.Parse(body).RootElement;
            json.GetProperty("id").GetString().ShouldBe(headers["Obotr-Event-Id"]);
            json.GetProperty("type").GetString().ShouldBe("token.updated");
            var data = json.GetProperty("data");
            data.GetProperty("gatewayToken").GetString().ShouldBe(token);
            data.GetProperty("status").GetString().ShouldBe("SUSPENDED");
            data.GetProperty("reason").GetString().ShouldBe("DEVICE_LOST");
            data.GetProperty("statusTimestamp").GetDateTimeOffset().ShouldBe(T0.AddMinutes(1));

            var log = await client.GetFromJsonAsync<JsonElement>("/v1/merchant/webhook/deliveries");
            var attempts = log.GetProperty("items").EnumerateArray().Reverse().ToList();
            attempts.Count.ShouldBe(2);
            attempts[0].GetProperty("httpStatus").GetInt32().ShouldBe(500);
            attempts[0].GetProperty("outcome").GetString().ShouldBe("http_error");
            attempts[1].GetProperty("httpStatus").GetInt32().ShouldBe(200);
            attempts[1].GetProperty("outcome").GetString().ShouldBe("delivered");
            attempts[1].GetProperty("attempt").GetInt32().ShouldBe(2);
            (await fixture.ScalarAsync("SELECT count(*) FROM merchant_webhooks WHERE merchant_id = $1 AND position($2::bytea IN secret_protected) > 0",
                merchant.MerchantId, Encoding.UTF8.GetBytes(secret))).ShouldBe(0);
        }
    }
}
