using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ObotrGateway.Api.Webhooks;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.IntegrationTests.Notifications;

namespace ObotrGateway.IntegrationTests.Webhooks;

/// <summary>SSRF protection: with Webhooks:AllowPrivateNetworks off (the production default) nothing internal is registered or reached.</summary>
[Collection(NotificationsTestGroup.Name)]
public sealed class WebhookAddressTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Webhook_client_refuses_loopback_names_and_addresses_before_connecting_and_follows_no_redirect()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var port = receiver.Url.Port;
        using var guarded = new HttpClient(WebhookAddresses.CreateHandler(new WebhookOptions()));
        foreach (var url in new[] { $"http://localhost:{port}/hooks", $"http://127.0.0.1:{port}/hooks", $"http://[::ffff:127.0.0.1]:{port}/hooks" })
        {
            var failure = await Should.ThrowAsync<HttpRequestException>(() => guarded.PostAsync(url, new StringContent("{}")));
            failure.InnerException.ShouldBeOfType<WebhookAddressBlockedException>(url);
        }

        receiver.Received.ShouldBeEmpty();

        // The same connect code with private networks allowed (tests, local development) reaches the receiver, and a
        // redirect comes back as the answer instead of being followed.
        using var open = new HttpClient(WebhookAddresses.CreateHandler(new WebhookOptions { AllowPrivateNetworks = true }));
        (await open.PostAsync($"http://localhost:{port}/hooks", new StringContent("{}"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await open.PostAsync($"http://localhost:{port}/redirect", new StringContent("{}"))).StatusCode.ShouldBe(HttpStatusCode.TemporaryRedirect);
        receiver.Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Without_private_networks_internal_hosts_are_refused_at_registration_and_a_name_resolving_to_loopback_at_delivery()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var database = await TestDatabase.CreateAsync();
        // A gateway of its own (database, queues, Redis keys): the fixture's dispatcher allows private networks and would
        // deliver this test's event itself.
        var runId = fixture.RunId + "-ssrf";
        var settings = fixture.Settings();
        settings["ConnectionStrings:Postgres"] = database.ConnectionString;
        settings["Messaging:QueuePrefix"] = runId;
        settings["Redis:KeyPrefix"] = runId + ":";
        settings["Mdes:RedisKeyPrefix"] = runId + ":";
        settings["Webhooks:AllowPrivateNetworks"] = "false";
        await using var gateway = new GatewayFactory(settings, fixture.Logs);
        gateway.StartServer();

        using var admin = gateway.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFixture.AdminKey);
        var created = await admin.PostAsJsonAsync("/v1/admin/merchants", new { name = "SSRF merchant", tokenRequestorId = GatewayFixture.NewTrid() });
        created.EnsureSuccessStatusCode();
        var merchant = (await created.Content.ReadFromJsonAsync<TestMerchant>())!;
        fixture.SecretsSeen.Add(merchant.ApiKey);
        using var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", merchant.ApiKey);

        (await WebhookTests.PutWebhookAsync(client, new { url = "https://10.0.0.1/hooks" }, HttpStatusCode.BadRequest)).Code()
            .ShouldBe("webhook_address_not_allowed");
        (await client.GetAsync("/v1/merchant/webhook")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var registered = await WebhookTests.PutWebhookAsync(client, new { url = "https://merchant.example/hooks" });
        fixture.SecretsSeen.Add(registered.GetProperty("signingSecret").GetString()!);
        (await WebhookTests.PutWebhookAsync(client, new { url = receiver.Url.ToString() }, HttpStatusCode.BadRequest)).Code()
            .ShouldBe("webhook_address_not_allowed");
        (await WebhookTests.PutWebhookAsync(client, new { url = $"http://localhost:{receiver.Url.Port}/hooks" }, HttpStatusCode.BadRequest)).Code()
            .ShouldBe("webhook_address_not_allowed");
        var byAdmin = await admin.PutAsJsonAsync($"/v1/admin/merchants/{merchant.MerchantId}/webhook",
            new { url = "https://[::ffff:169.254.169.254]/latest/meta-data/" });
        byAdmin.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await byAdmin.Content.ReadFromJsonAsync<JsonElement>()).Code().ShouldBe("webhook_address_not_allowed");
        (await client.GetFromJsonAsync<JsonElement>("/v1/merchant/webhook")).GetProperty("url").GetString().ShouldBe("https://merchant.example/hooks");

        // The registered name now resolves to loopback (DNS rebinding): stood in for by "localhost", which every machine
        // resolves to loopback, written past the registration check.
        (await database.ScalarAsync("UPDATE merchant_webhooks SET url = $1 WHERE merchant_id = $2 RETURNING 1",
            $"http://localhost:{receiver.Url.Port}/hooks", merchant.MerchantId)).ShouldBe(1);
        using var sender = new NtuSender(fixture);
        var (tokenId, _) = await sender.InsertTokenAsync(merchant.MerchantId, merchant.TokenRequestorId, NtuSender.NewTur(), DateTimeOffset.UtcNow, database);
        var eventId = await database.InsertEventAsync(merchant.MerchantId, tokenId, WebhookEventStates.Pending, DateTimeOffset.UtcNow);

        await Eventually.TrueAsync(async () => await database.ScalarAsync("SELECT count(*) FROM webhook_deliveries WHERE event_id = $1", eventId) > 0,
            TimeSpan.FromSeconds(15), "no delivery attempt recorded");
        var log = await client.GetFromJsonAsync<JsonElement>("/v1/merchant/webhook/deliveries");
        var first = log.GetProperty("items").EnumerateArray().Last();
        first.GetProperty("eventId").GetGuid().ShouldBe(eventId);
        first.GetProperty("attempt").GetInt32().ShouldBe(1);
        first.GetProperty("outcome").GetString().ShouldBe(WebhookDeliveryOutcomes.AddressBlocked);
        first.GetProperty("httpStatus").ValueKind.ShouldBe(JsonValueKind.Null);
        receiver.Received.ShouldBeEmpty();
        // A failed attempt like any other: the event stays pending for its retries (until MaxAttempts).
        (await database.ScalarAsync("SELECT count(*) FROM webhook_outbox WHERE id = $1 AND state = 'pending'", eventId)).ShouldBe(1);
    }
}
