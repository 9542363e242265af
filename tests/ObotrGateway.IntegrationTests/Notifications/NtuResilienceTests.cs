using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Npgsql;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Notifications;

/// <summary>NTUs are acknowledged from the inbox whatever the broker does, and an unavailable gateway loses none.</summary>
[Collection(NotificationsTestGroup.Name)]
public sealed class NtuResilienceTests(GatewayFixture fixture)
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Ntus_arriving_while_rabbitmq_is_stopped_are_acked_and_applied_after_it_returns()
    {
        // A broker and a deployment of the test's own: stopping the local RabbitMQ would take the bus of every other
        // gateway on this machine with it (other collections, other test runs), and the fixture's gateway would sweep
        // the NTUs from a shared inbox while this one's broker is down.
        await using var rabbit = await PrivateRabbitMq.StartAsync();
        await using var database = await TestDatabase.CreateAsync();
        var prefix = fixture.RunId + "-outage-" + Guid.NewGuid().ToString("N")[..6];
        var settings = fixture.Settings();
        settings["ConnectionStrings:Postgres"] = database.ConnectionString;
        settings["ConnectionStrings:RabbitMq"] = rabbit.ConnectionString;
        settings["Messaging:QueuePrefix"] = prefix;
        settings["Redis:KeyPrefix"] = prefix + ":";
        settings["Mdes:RedisKeyPrefix"] = prefix + ":";
        var port = GatewayFixture.FreePort();
        await using var gateway = new GatewayFactory(settings, fixture.Logs);
        gateway.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        gateway.StartServer();
        var address = new Uri($"http://127.0.0.1:{port}/");
        using var admin = new HttpClient { BaseAddress = address };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GatewayFixture.AdminKey);
        var created = await admin.PostAsJsonAsync("/v1/admin/merchants", new { name = "Broker outage merchant", tokenRequestorId = GatewayFixture.NewTrid() });
        created.EnsureSuccessStatusCode();
        var merchant = (await created.Content.ReadFromJsonAsync<TestMerchant>())!;
        fixture.SecretsSeen.Add(merchant.ApiKey);
        using var sender = new NtuSender(fixture, address);
        var tokens = new List<(string GatewayToken, string Tur)>();
        for (var i = 0; i < 10; i++)
        {
            var tur = NtuSender.NewTur();
            tokens.Add(((await sender.InsertTokenAsync(merchant.MerchantId, merchant.TokenRequestorId, tur, T0, database)).GatewayToken, tur));
        }

        await rabbit.StopAppAsync();
        try
        {
            foreach (var (_, tur) in tokens)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await sender.SendAsync("outage-" + tur[^10..], NtuSender.Update(tur, merchant.TokenRequestorId, "SUSPENDED", T0.AddSeconds(1)));
                response.StatusCode.ShouldBe(HttpStatusCode.OK);
                // The ack does not wait for the broker.
                Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(2), "ack waited for the broker");
            }
        }
        finally
        {
            await rabbit.StartAppAsync();
        }

        foreach (var (gatewayToken, _) in tokens)
        {
            await Eventually.TrueAsync(
                async () => await database.ScalarAsync("SELECT count(*) FROM gateway_tokens WHERE gateway_token = $1 AND status = 'SUSPENDED'", gatewayToken) == 1,
                TimeSpan.FromSeconds(30), $"{gatewayToken} did not reach SUSPENDED");
        }

        (await database.ScalarAsync("SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = ANY($1) AND state = 'applied'",
            (object)tokens.Select(token => token.Tur).ToArray())).ShouldBe(10);
        // Readiness recovers once MassTransit has reconnected.
        await Eventually.TrueAsync(async () => (await admin.GetAsync("/health/ready")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(60), "gateway not ready after RabbitMQ returned");
    }

    [Fact]
    public async Task Simulator_ntu_refused_while_the_gateway_cannot_store_it_is_retried_and_lands_once()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = await client.AddActiveCardAsync();
            var tur = (await fixture.TokenAsync(token)).TokenUniqueReference!;
            var suffix = Guid.NewGuid().ToString("N")[..8];
            // The gateway's storage fails for this TUR's next two NTUs (a sequence is not rolled back with the failed insert).
            await ExecuteAsync($"""
                CREATE SEQUENCE ntu_fail_{suffix};
                CREATE FUNCTION ntu_fail_{suffix}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF NEW.token_unique_reference = '{tur}' AND NEW.status = 'SUSPENDED' AND nextval('ntu_fail_{suffix}') <= 2 THEN
                    RAISE EXCEPTION 'storage unavailable (test)';
                  END IF;
                  RETURN NEW;
                END $$;
                CREATE TRIGGER ntu_fail_{suffix} BEFORE INSERT ON ntu_inbox FOR EACH ROW EXECUTE FUNCTION ntu_fail_{suffix}();
                """);
            try
            {
                var (status, body) = await fixture.Simulator.ConsoleAsync("/issuer/tokens/suspend",
                    new { tokenUniqueReferences = new[] { tur }, reasonCode = "DEVICE_LOST", userId = "u1", userName = "Issuer Agent" });
                status.ShouldBe(HttpStatusCode.OK, body?.ToJsonString());

                await fixture.WaitForTokenAsync(token, row => row.Status == "SUSPENDED", TimeSpan.FromSeconds(30));
            }
            finally
            {
                await ExecuteAsync($"DROP TRIGGER ntu_fail_{suffix} ON ntu_inbox; DROP FUNCTION ntu_fail_{suffix}(); DROP SEQUENCE ntu_fail_{suffix};");
            }

            var notifications = await fixture.Simulator.GetJsonAsync($"/simulator/notifications?tokenUniqueReference={tur}");
            var suspension = notifications["notifications"]!.AsArray().Single(item => (string?)item!["eventReasonCode"] == "DEVICE_LOST")!;
            ((string)suspension["state"]!).ShouldBe("DELIVERED");
            var outcomes = suspension["attempts"]!.AsArray().Select(attempt => (string)attempt!["outcome"]!).ToList();
            outcomes.ShouldBe(["HTTP_503", "HTTP_503", "DELIVERED"]);
            (await fixture.ScalarAsync("SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = $1 AND status = 'SUSPENDED'", tur)).ShouldBe(1);
            (await fixture.ScalarAsync("SELECT count(*) FROM webhook_outbox e JOIN ntu_inbox i ON i.id = e.inbox_id WHERE i.token_unique_reference = $1 AND i.status = 'SUSPENDED'", tur))
                .ShouldBe(1);
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
