using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using ObotrGateway.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ObotrGateway.IntegrationTests.BulkTokenization;

[Collection(GatewayTestGroup.Name)]
public sealed class BulkCrashResumeTests(GatewayFixture fixture, ITestOutputHelper log)
{
    [Fact]
    public async Task Job_gatewayKilledMidJobAndRestarted_EveryItemEndsOnceAndNoCardIsTokenizedTwice()
    {
        var settings = fixture.Settings();
        settings["Messaging:QueuePrefix"] = fixture.RunId + "-crash-" + Guid.NewGuid().ToString("N")[..6];
        // Short enough that the restarted process reclaims the killed one's items within the test, and longer than one
        // MDES attempt (Mdes:AttemptTimeout, 10 s, counted from the TPS slot request), as production's 5 min is: a lease
        // that ran out under a live worker's Tokenize would hand its item to a second worker mid-call.
        settings["BulkTokenization:ItemLease"] = "00:00:12";
        // Its console is all the leak scan sees of this process: keep every line there.
        settings["Logging:Console:LogLevel:Default"] = "Information";
        var output = new ConcurrentQueue<string>();
        var (merchant, _) = await fixture.NewMerchantAsync();
        var approved = BulkJobs.Pans(BulkJobs.ApprovedPrefix, 560);
        var declined = BulkJobs.Pans(BulkJobs.DeclinedRange, 40);
        List<string> pans = [.. approved, .. declined];
        fixture.ShareSample([.. approved.Take(5), .. declined.Take(5)]);

        var clock = Stopwatch.StartNew();
        string jobId;
        await using (var first = await GatewayProcess.StartAsync(settings, output))
        {
            using var client = first.MerchantClient(merchant.ApiKey);
            log.WriteLine($"{clock.Elapsed}: first process ready");
            jobId = await client.StartJobAsync(BulkJobs.Ndjson(pans));
            await WaitUntilAsync(async () => Done(await client.GetFromJsonAsync<JsonElement>($"/v1/tokenization-jobs/{jobId}")) >= 150);
            first.Kill(); // mid-job: items in flight, claims held, messages unacknowledged
            log.WriteLine($"{clock.Elapsed}: killed");
        }

        var atKill = await ItemStatusesAsync(jobId);
        atKill.GetValueOrDefault("pending").ShouldBeGreaterThan(0, "the kill came too late to test a resume");

        JsonElement job;
        await using (var second = await GatewayProcess.StartAsync(settings, output))
        {
            using var client = second.MerchantClient(merchant.ApiKey);
            log.WriteLine($"{clock.Elapsed}: second process ready");
            job = await client.WaitForEndAsync(jobId, TimeSpan.FromSeconds(60));
            foreach (var item in await client.AllItemsAsync(jobId, "failed"))
            {
                log.WriteLine($"failed item line {item.GetProperty("lineNumber")}: {item.GetProperty("reasonCode")}");
            }
        }

        log.WriteLine($"{clock.Elapsed}: job over");
        job.GetProperty("status").GetString().ShouldBe("completed", job.ToString());
        var provisioned = job.Count("provisioned");
        var declinedCount = job.Count("declined");
        (provisioned + declinedCount).ShouldBe(600, job.ToString());
        provisioned.ShouldBe(560);
        var tokenizeCalls = await fixture.CallsAsync("tokenize", merchant.TokenRequestorId);
        tokenizeCalls.Count.ShouldBe((int)(provisioned + declinedCount), "a card was sent to Tokenize twice");
        tokenizeCalls.ShouldAllBe(call => call.Result == "OK");
        (await GatewayTokensAsync(merchant.MerchantId)).ShouldBe((Live: provisioned, Pending: 0L, Distinct: provisioned));
        (await BulkJobs.FindPansInDatabaseAsync(fixture, pans)).ShouldBeEmpty();
        log.WriteLine($"at the kill: {string.Join(", ", atKill.Select(pair => $"{pair.Key}={pair.Value}"))}; "
            + $"reconciled after restart: {output.Count(line => line.Contains("earlier attempt reconciled", StringComparison.Ordinal))}");
        var wanted = pans.ToHashSet();
        output.Where(line => Enumerable.Range(0, Math.Max(0, line.Length - 15)).Any(i => wanted.Contains(line.Substring(i, 16)))).ShouldBeEmpty();
    }

    private static long Done(JsonElement job) => job.Count("provisioned") + job.Count("declined");

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            waited.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60));
            await Task.Delay(100);
        }
    }

    private async Task<Dictionary<string, long>> ItemStatusesAsync(string jobId)
    {
        await using var db = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        await using var command = db.CreateCommand("SELECT status, count(*) FROM tokenization_job_items WHERE job_id = $1 GROUP BY status");
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.Parse(jobId) });
        var counts = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    private async Task<(long Live, long Pending, long Distinct)> GatewayTokensAsync(Guid merchantId)
    {
        await using var db = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        await using var command = db.CreateCommand("""
            SELECT count(*) FILTER (WHERE status <> 'PENDING'), count(*) FILTER (WHERE status = 'PENDING'), count(DISTINCT token_unique_reference)
            FROM gateway_tokens WHERE merchant_id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = merchantId });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}
