using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ObotrGateway.IntegrationTests.BulkTokenization;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.IntegrationTests.Notifications;
using ObotrGateway.Testing;
using Xunit.Abstractions;

namespace ObotrGateway.IntegrationTests.Hosting;

/// <summary>
/// Several gateway processes as replicas of one deployment (one database, Redis prefix and queue prefix), under
/// faults: a replica killed mid-job, NTUs landing on replicas in turn, the broker restarted under NTU load.
/// docs/scaling.md ("Multi-replica tests") reports what these measured.
/// </summary>
[Collection(GatewayProcessesTestGroup.Name)]
public sealed class MultiReplicaTests(GatewayFixture fixture, ITestOutputHelper log)
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The fixture's settings with a queue prefix of the test's own, which its replicas share.</summary>
    private Dictionary<string, string?> ReplicaSettings(string name)
    {
        var settings = fixture.Settings();
        settings["Messaging:QueuePrefix"] = fixture.RunId + "-" + name + "-" + Guid.NewGuid().ToString("N")[..6];
        return settings;
    }

    [Fact]
    public async Task Job_spreadOverThreeReplicasOneKilled_EveryItemEndsOnceAndNoCardIsTokenizedTwice()
    {
        var settings = ReplicaSettings("bulk");
        // The killed replica's items are taken over after this; the survivors extend their own (ADR 1205).
        settings["BulkTokenization:ItemLease"] = "00:00:06";
        // Their consoles are all the leak scan sees of these processes: keep every line there.
        settings["Logging:Console:LogLevel:Default"] = "Information";
        var output = new ConcurrentQueue<string>();
        var (merchant, _) = await fixture.NewMerchantAsync();
        var approved = TestPans.Distinct(TestPans.ApprovedPrefix, 270);
        var declined = TestPans.Distinct(TestPans.DeclinedRange, 30);
        List<string> pans = [.. approved, .. declined];
        fixture.ShareSample([.. approved.Take(5), .. declined.Take(5)]);

        var started = await GatewayProcess.StartReplicasAsync(3, settings, output);
        await using var first = started[0];
        await using var second = started[1];
        await using var third = started[2];
        using var client = first.MerchantClient(merchant.ApiKey);
        var jobId = await client.StartJobAsync(BulkJobs.Ndjson(pans));
        await Eventually.TrueAsync(
            async () => Done(await client.GetFromJsonAsync<JsonElement>($"/v1/tokenization-jobs/{jobId}")) >= 60,
            TimeSpan.FromSeconds(60), "the job did not get going");
        second.Kill(); // SIGKILL mid-job: its items in flight, claims held, messages unacknowledged
        var atKill = await fixture.ItemStatusesAsync(jobId);
        atKill.GetValueOrDefault("pending").ShouldBeGreaterThan(0, "the kill came too late to test the survivors taking over");

        using var survivor = third.MerchantClient(merchant.ApiKey);
        var job = await survivor.WaitForEndAsync(jobId, TimeSpan.FromSeconds(60));
        foreach (var item in await survivor.AllItemsAsync(jobId, "failed"))
        {
            log.WriteLine($"failed item line {item.GetProperty("lineNumber")}: {item.GetProperty("reasonCode")}");
        }

        job.GetProperty("status").GetString().ShouldBe("completed", job.ToString());
        var provisioned = job.Count("provisioned");
        var declinedCount = job.Count("declined");
        provisioned.ShouldBe(270, job.ToString());
        declinedCount.ShouldBe(30, job.ToString());
        (await fixture.ItemStatusesAsync(jobId)).Keys.ShouldNotContain("pending");
        var tokenizeCalls = await fixture.CallsAsync("tokenize", merchant.TokenRequestorId);
        tokenizeCalls.Count.ShouldBe(300, "a card was sent to Tokenize twice, or one never");
        (await fixture.GatewayTokensAsync(merchant.MerchantId)).ShouldBe((Live: 270L, Pending: 0L, Distinct: 270L));
        (await BulkJobs.FindPansInDatabaseAsync(fixture, pans)).ShouldBeEmpty();
        BulkJobs.FindPansInLines(output, pans).ShouldBeEmpty();
        log.WriteLine($"items 300; at the kill: {string.Join(", ", atKill.Select(pair => $"{pair.Key}={pair.Value}"))}; "
            + $"tokenize calls {tokenizeCalls.Count} ({tokenizeCalls.Count(call => call.Result == "OK")} OK); "
            + $"reconciled by the survivors: {output.Count(line => line.Contains("earlier attempt reconciled", StringComparison.Ordinal))}");
    }

    [Fact]
    public async Task Ntus_alternatingBetweenReplicasAndRedelivered_EachChangeAppliedOnceWithOneMerchantEvent()
    {
        var settings = ReplicaSettings("ntu");
        var output = new ConcurrentQueue<string>();
        var (merchant, client) = await fixture.NewMerchantAsync();
        client.Dispose();
        var started = await GatewayProcess.StartReplicasAsync(2, settings, output);
        await using var first = started[0];
        await using var second = started[1];
        using var senderA = new NtuSender(fixture, first.Address);
        using var senderB = new NtuSender(fixture, second.Address);
        NtuSender[] replicas = [senderA, senderB];
        const int Tokens = 12;
        string[] changes = ["SUSPENDED", "ACTIVE", "SUSPENDED", "ACTIVE"];
        var tokens = new List<(Guid Id, string GatewayToken, string Tur)>();
        for (var i = 0; i < Tokens; i++)
        {
            var tur = NtuSender.NewTur();
            var (id, gatewayToken) = await senderA.InsertTokenAsync(merchant.MerchantId, merchant.TokenRequestorId, tur, T0);
            tokens.Add((id, gatewayToken, tur));
        }

        // Tokens in parallel; each token's changes in order, change k on replica (token + k) % 2, and MDES's retry of
        // the same NTU (same requestId) landing on the other replica at the same moment.
        await Task.WhenAll(tokens.Select(async (token, index) =>
        {
            for (var k = 0; k < changes.Length; k++)
            {
                var update = NtuSender.Update(token.Tur, merchant.TokenRequestorId, changes[k], T0.AddSeconds(k + 1));
                var requestId = $"replica-{k}-{token.Tur[^12..]}";
                var sent = await Task.WhenAll(
                    replicas[(index + k) % 2].SendAsync(requestId, update),
                    replicas[(index + k + 1) % 2].SendAsync(requestId, update));
                foreach (var response in sent)
                {
                    response.StatusCode.ShouldBe(HttpStatusCode.OK);
                    response.Dispose();
                }

                var applied = k + 1;
                await Eventually.TrueAsync(
                    async () => await fixture.ScalarAsync("SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = $1 AND state = 'applied'",
                        token.Tur) >= applied,
                    TimeSpan.FromSeconds(30), $"change {k} not applied");
            }
        }));

        var turs = tokens.Select(token => token.Tur).ToArray();
        var inboxRows = await fixture.ScalarAsync("SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = ANY($1)", (object)turs);
        var appliedRows = await fixture.ScalarAsync("SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = ANY($1) AND state = 'applied'", (object)turs);
        inboxRows.ShouldBe(Tokens * changes.Length, "a redelivered NTU was stored twice");
        appliedRows.ShouldBe(Tokens * changes.Length);
        long events = 0;
        foreach (var (id, gatewayToken, _) in tokens)
        {
            var perToken = await fixture.EventCountAsync(id);
            perToken.ShouldBe(changes.Length, "not one merchant event per change");
            events += perToken;
            var row = await fixture.TokenAsync(gatewayToken);
            row.Status.ShouldBe("ACTIVE");
            row.StatusTimestamp.ShouldBe(T0.AddSeconds(changes.Length));
        }

        log.WriteLine($"tokens {Tokens}, changes {Tokens * changes.Length}, NTUs posted {2 * Tokens * changes.Length}; "
            + $"inbox rows {inboxRows}, applied {appliedRows}, merchant events {events}");
    }

    [Fact]
    public async Task Ntus_whileTheReplicasBrokerRestarts_NoneLostNoneDoubled()
    {
        await using var rabbit = await PrivateRabbitMq.StartAsync();
        // A deployment of its own (database, Redis keys, queues): the fixture's gateway would otherwise sweep these
        // NTUs from the shared inbox while the replicas' broker is down, and the outage would test nothing.
        await using var database = await TestDatabase.CreateAsync();
        var settings = ReplicaSettings("broker");
        var prefix = settings["Messaging:QueuePrefix"];
        settings["ConnectionStrings:Postgres"] = database.ConnectionString;
        settings["ConnectionStrings:RabbitMq"] = rabbit.ConnectionString;
        settings["Redis:KeyPrefix"] = prefix + ":";
        settings["Mdes:RedisKeyPrefix"] = prefix + ":";
        var output = new ConcurrentQueue<string>();
        var started = await GatewayProcess.StartReplicasAsync(2, settings, output);
        await using var first = started[0];
        await using var second = started[1];
        using var admin = first.MerchantClient(GatewayFixture.AdminKey);
        var created = await admin.PostAsJsonAsync("/v1/admin/merchants", new { name = "Broker restart merchant", tokenRequestorId = GatewayFixture.NewTrid() });
        created.EnsureSuccessStatusCode();
        var merchant = (await created.Content.ReadFromJsonAsync<TestMerchant>())!;
        fixture.SecretsSeen.Add(merchant.ApiKey);
        using var senderA = new NtuSender(fixture, first.Address);
        using var senderB = new NtuSender(fixture, second.Address);
        NtuSender[] replicas = [senderA, senderB];
        const int Tokens = 20;
        const int Rounds = 6;
        var tokens = new List<(Guid Id, string GatewayToken, string Tur)>();
        for (var i = 0; i < Tokens; i++)
        {
            var tur = NtuSender.NewTur();
            var (id, gatewayToken) = await senderA.InsertTokenAsync(merchant.MerchantId, merchant.TokenRequestorId, tur, T0, database);
            tokens.Add((id, gatewayToken, tur));
        }

        // Rounds 2 and 3 are sent while the broker is down; every round toggles every token, alternating replicas.
        for (var round = 0; round < Rounds; round++)
        {
            if (round == 2)
            {
                await rabbit.StopAppAsync();
            }

            if (round == 4)
            {
                await rabbit.StartAppAsync();
            }

            var status = round % 2 == 0 ? "SUSPENDED" : "ACTIVE";
            await Task.WhenAll(tokens.Select(async (token, index) =>
            {
                using var response = await replicas[(index + round) % 2].SendAsync($"broker-{round}-{token.Tur[^12..]}",
                    NtuSender.Update(token.Tur, merchant.TokenRequestorId, status, T0.AddSeconds(round + 1)));
                response.StatusCode.ShouldBe(HttpStatusCode.OK);
            }));
        }

        var turs = tokens.Select(token => token.Tur).ToArray();
        await Eventually.TrueAsync(
            async () => await database.ScalarAsync(
                "SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = ANY($1) AND state IN ('received', 'waiting')", (object)turs) == 0,
            TimeSpan.FromSeconds(45), "NTUs left unprocessed after the broker returned");

        var inboxRows = await database.ScalarAsync("SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = ANY($1)", (object)turs);
        var appliedRows = await database.ScalarAsync("SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = ANY($1) AND state = 'applied'", (object)turs);
        var staleRows = await database.ScalarAsync("SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = ANY($1) AND state = 'stale'", (object)turs);
        var events = await database.ScalarAsync(
            "SELECT count(*) FROM webhook_outbox e JOIN ntu_inbox i ON i.id = e.inbox_id WHERE i.token_unique_reference = ANY($1)", (object)turs);
        var eventsWithoutChange = await database.ScalarAsync("""
            SELECT count(*) FROM webhook_outbox e JOIN ntu_inbox i ON i.id = e.inbox_id
            WHERE i.token_unique_reference = ANY($1) AND i.state <> 'applied'
            """, (object)turs);
        inboxRows.ShouldBe(Tokens * Rounds, "an acknowledged NTU was lost or stored twice");
        events.ShouldBe(appliedRows, "not one merchant event per applied change");
        eventsWithoutChange.ShouldBe(0);
        (await database.ScalarAsync("SELECT count(*) FROM gateway_tokens WHERE id = ANY($1) AND status = 'ACTIVE' AND status_timestamp = $2",
            tokens.Select(token => token.Id).ToArray(), T0.AddSeconds(Rounds))).ShouldBe(Tokens, "the replicas did not converge on the last change");

        log.WriteLine($"tokens {Tokens}, NTUs acknowledged {Tokens * Rounds} ({2 * Tokens} while the broker was down); inbox rows {inboxRows}, "
            + $"applied {appliedRows}, stale (overtaken by a later change) {staleRows}, merchant events {events}");
    }

    private static long Done(JsonElement job) => job.Count("provisioned") + job.Count("declined");
}
