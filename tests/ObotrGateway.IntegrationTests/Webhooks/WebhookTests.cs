using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.IntegrationTests.Notifications;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace ObotrGateway.IntegrationTests.Webhooks;

/// <summary>
/// A merchant's webhook receiver on loopback: records what arrives at /hooks, answers 500 to the first <see cref="FailFirst"/>
/// requests; /redirect answers 302 to /hooks.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private WebApplication _app = null!;
    private int _requests;

    /// <summary>The requests answered 200.</summary>
    public ConcurrentQueue<(Dictionary<string, string> Headers, string Body)> Received { get; } = new();

    /// <summary>Every request, including those answered 500, in arrival order.</summary>
    public ConcurrentQueue<(Dictionary<string, string> Headers, string Body)> Attempts { get; } = new();
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
            // Copied: Kestrel recycles the request's header collection once the request ends.
            var headers = context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            receiver.Attempts.Enqueue((headers, body));
            if (Interlocked.Increment(ref receiver._requests) <= receiver.FailFirst)
            {
                return Results.StatusCode(500);
            }

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

[Collection(NotificationsTestGroup.Name)]
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

            await Eventually.TrueAsync(() => Task.FromResult(!receiver.Received.IsEmpty), TimeSpan.FromSeconds(15), "no webhook delivered");
            var (headers, body) = receiver.Received.Single();
            // Verified as a merchant would: an off-the-shelf Standard Webhooks library, given the secret exactly as shown.
            Should.NotThrow(() => new StandardWebhook(secret).Verify(body, Headers(headers)));
            var json = JsonDocument.Parse(body).RootElement;
            json.GetProperty("id").GetString().ShouldBe(headers["webhook-id"]);
            // The failed attempt and its retry carry the same webhook-id (receivers dedupe on it), each signed for its own time.
            var attempts = receiver.Attempts.ToList();
            attempts.Count.ShouldBe(2);
            attempts.Select(attempt => attempt.Headers["webhook-id"]).Distinct().ShouldHaveSingleItem();
            attempts.ShouldAllBe(attempt => attempt.Body == body);
            Should.NotThrow(() => new StandardWebhook(secret).Verify(attempts[0].Body, Headers(attempts[0].Headers)));
            json.GetProperty("type").GetString().ShouldBe("token.updated");
            var data = json.GetProperty("data");
            data.GetProperty("gatewayToken").GetString().ShouldBe(token);
            data.GetProperty("status").GetString().ShouldBe("SUSPENDED");
            data.GetProperty("reason").GetString().ShouldBe("DEVICE_LOST");
            data.GetProperty("statusTimestamp").GetDateTimeOffset().ShouldBe(T0.AddMinutes(1));

            var log = await client.GetFromJsonAsync<JsonElement>("/v1/merchant/webhook/deliveries");
            var logged = log.GetProperty("items").EnumerateArray().Reverse().ToList();
            logged.Count.ShouldBe(2);
            logged[0].GetProperty("httpStatus").GetInt32().ShouldBe(500);
            logged[0].GetProperty("outcome").GetString().ShouldBe("http_error");
            logged[1].GetProperty("httpStatus").GetInt32().ShouldBe(200);
            logged[1].GetProperty("outcome").GetString().ShouldBe("delivered");
            logged[1].GetProperty("attempt").GetInt32().ShouldBe(2);
            logged.ShouldAllBe(entry => entry.GetProperty("eventId").GetString() == headers["webhook-id"]);
            (await fixture.ScalarAsync("SELECT count(*) FROM merchant_webhooks WHERE merchant_id = $1 AND position($2::bytea IN secret_protected) > 0",
                merchant.MerchantId, Encoding.UTF8.GetBytes(secret))).ShouldBe(0);
        }
    }
    private static HeaderDictionary Headers(Dictionary<string, string> headers) =>
        new(headers.ToDictionary(header => header.Key, header => new Microsoft.Extensions.Primitives.StringValues(header.Value), StringComparer.OrdinalIgnoreCase));

    /// <summary>Registers a webhook at the receiver and applies one NTU to a fresh token; returns the delivery that arrived.</summary>
    private async Task<(Dictionary<string, string> Headers, string Body)> DeliverOneAsync(WebhookReceiver receiver, TestMerchant merchant, string status)
    {
        using var sender = new NtuSender(fixture);
        var tur = NtuSender.NewTur();
        await sender.InsertTokenAsync(merchant.MerchantId, merchant.TokenRequestorId, tur, T0);
        var before = receiver.Received.Count;
        (await sender.SendAsync("hook-" + tur[^8..], NtuSender.Update(tur, merchant.TokenRequestorId, status, T0.AddMinutes(1))))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Received.Count > before), TimeSpan.FromSeconds(15), "no webhook delivered");
        return receiver.Received.ToArray()[before];
    }

    [Fact]
    public async Task Rotated_secret_both_old_and_new_verify_during_the_overlap_and_only_the_new_after_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var oldSecret = (await PutWebhookAsync(client, new { url = receiver.Url.ToString() })).GetProperty("signingSecret").GetString()!;
            var rotated = await PutWebhookAsync(client, new { url = receiver.Url.ToString(), rotateSecret = true });
            var newSecret = rotated.GetProperty("signingSecret").GetString()!;
            fixture.SecretsSeen.Add(oldSecret);
            fixture.SecretsSeen.Add(newSecret);
            // Webhooks:SecretRotationOverlap defaults to 24 h.
            rotated.GetProperty("previousSecretExpiresAt").GetDateTimeOffset().ShouldBeInRange(DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));

            var (headers, body) = await DeliverOneAsync(receiver, merchant, "SUSPENDED");
            headers["webhook-signature"].Split(' ').Distinct().Count().ShouldBe(2); // one per active secret
            Should.NotThrow(() => new StandardWebhook(oldSecret).Verify(body, Headers(headers)));
            Should.NotThrow(() => new StandardWebhook(newSecret).Verify(body, Headers(headers)));

            // The overlap ends (moved into the past rather than waited for): the old secret no longer signs.
            (await fixture.ScalarAsync("""
                UPDATE merchant_webhooks SET previous_secret_expires_at = now() - interval '1 second' WHERE merchant_id = $1 RETURNING 1
                """, merchant.MerchantId)).ShouldBe(1);
            (await client.GetFromJsonAsync<JsonElement>("/v1/merchant/webhook")).GetProperty("previousSecretExpiresAt").ValueKind.ShouldBe(JsonValueKind.Null);
            var (after, afterBody) = await DeliverOneAsync(receiver, merchant, "DEACTIVATED");
            after["webhook-signature"].Split(' ').ShouldHaveSingleItem();
            Should.NotThrow(() => new StandardWebhook(newSecret).Verify(afterBody, Headers(after)));
            Should.Throw<WebhookVerificationException>(() => new StandardWebhook(oldSecret).Verify(afterBody, Headers(after)));
        }
    }

    [Fact]
    public async Task Replayed_delivery_with_an_old_timestamp_is_refused_by_the_library()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var secret = (await PutWebhookAsync(client, new { url = receiver.Url.ToString() })).GetProperty("signingSecret").GetString()!;
            fixture.SecretsSeen.Add(secret);
            var (headers, body) = await DeliverOneAsync(receiver, merchant, "SUSPENDED");
            var webhook = new StandardWebhook(secret);
            Should.NotThrow(() => webhook.Verify(body, Headers(headers)));

            // A captured delivery replayed ten minutes later: the library's clock has moved on, so model that by the timestamp
            // being ten minutes old, signed validly (by the library itself) so that only the age can be what it refuses.
            var old = DateTimeOffset.FromUnixTimeSeconds(long.Parse(headers["webhook-timestamp"], System.Globalization.CultureInfo.InvariantCulture))
                .AddMinutes(-10);
            var replay = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase)
            {
                ["webhook-timestamp"] = old.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["webhook-signature"] = webhook.Sign(headers["webhook-id"], old, body),
            };
            var refused = Should.Throw<WebhookVerificationException>(() => webhook.Verify(body, Headers(replay)));
            refused.Message.ShouldContain("too old", Case.Insensitive);

            // And the delivery's own signature does not carry over to another timestamp (it covers id.timestamp.body).
            var restamped = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase)
            {
                ["webhook-timestamp"] = (long.Parse(headers["webhook-timestamp"], System.Globalization.CultureInfo.InvariantCulture) - 1)
                    .ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            Should.Throw<WebhookVerificationException>(() => webhook.Verify(body, Headers(restamped)));
        }
    }
    [Fact]
    public async Task OpenApi_webhooks_section_describes_every_member_and_header_of_a_real_delivery()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            fixture.SecretsSeen.Add((await PutWebhookAsync(client, new { url = receiver.Url.ToString() })).GetProperty("signingSecret").GetString()!);
            var (headers, body) = await DeliverOneAsync(receiver, merchant, "SUSPENDED");
            using var anonymous = fixture.Factory.CreateClient();
            var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

            var post = document.GetProperty("webhooks").GetProperty("token.updated").GetProperty("post");
            var parameters = post.GetProperty("parameters").EnumerateArray().Select(parameter => parameter.GetProperty("name").GetString()!).ToList();
            parameters.ShouldBe(["webhook-id", "webhook-timestamp", "webhook-signature"], ignoreOrder: true);
            parameters.ShouldAllBe(name => headers.ContainsKey(name));
            var schemas = document.GetProperty("components").GetProperty("schemas");
            JsonElement Resolve(JsonElement schema) =>
                schema.TryGetProperty("$ref", out var reference) ? schemas.GetProperty(reference.GetString()!.Split('/')[^1]) : schema;
            var eventSchema = Resolve(post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));

            // Every member the gateway really sent is in the schema, at both levels (a renamed or added member fails here).
            var delivered = JsonDocument.Parse(body).RootElement;
            var properties = eventSchema.GetProperty("properties");
            var names = properties.EnumerateObject().Select(property => property.Name).ToList();
            delivered.EnumerateObject().Select(member => member.Name).ShouldBeSubsetOf(names);
            var dataNames = Resolve(properties.GetProperty("data")).GetProperty("properties").EnumerateObject().Select(property => property.Name).ToList();
            delivered.GetProperty("data").EnumerateObject().Select(member => member.Name).ShouldBeSubsetOf(dataNames);
        }
    }
}
