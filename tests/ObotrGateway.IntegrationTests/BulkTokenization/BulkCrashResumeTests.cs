using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.Testing;
using Xunit.Abstractions;

namespace ObotrGateway.IntegrationTests.BulkTokenization;

[Collection(GatewayProcessesTestGroup.Name)]
public sealed class BulkCrashResumeTests(GatewayFixture fixture, ITestOutputHelper log)
{
    [Fact]
    public async Task Job_gatewayKilledMidJobAndRestarted_EveryItemEndsOnceAndNoCardIsTokenizedTwice()
    {
        var settings = fixture.Settings();
        settings["Messaging:QueuePrefix"] = fixture.RunId + "-crash-" + Guid.NewGuid().ToString("N")[..6];
        // Short enough that the restarted process reclaims the killed one's items within the test (a live worker extends
        // its own, ADR 1205).
        settings["BulkTokenization:ItemLease"] = "00:00:12";
        // Its console is all the leak scan sees of this process: keep every line there.
        settings["Logging:Console:LogLevel:Default"] = "Information";
        var output = new ConcurrentQueue<string>();
        var (merchant, _) = await fixture.NewMerchantAsync();
        var approved = TestPans.Distinct(TestPans.ApprovedPrefix, 560);
        var declined = TestPans.Distinct(TestPans.DeclinedRange, 40);
        List<string> pans = [.. approved, .. declined];
        fixture.ShareSample([.. approved.Take(5), .. declined.Take(5)]);

        var clock = Stopwatch.StartNew();
        string jobId;
        await using (var first = await GatewayProcess.StartAsync(settings, output))
        {
            using var client = first.MerchantClient(merchant.ApiKey);
            log.WriteLine($"{clock.Elapsed}: first process ready");
            jobId = await client.StartJobAsync(BulkJobs.Ndjson(pans));
            await Eventually.TrueAsync(async () => Done(await client.GetFromJsonAsync<JsonElement>($"/v1/tokenization-jobs/{jobId}")) >= 150,
                TimeSpan.FromSeconds(60), "the job did not get going");
            first.Kill(); // mid-job: items in flight, claims held, messages unacknowledged
            log.WriteLine($"{clock.Elapsed}: killed");
        }

        var atKill = await fixture.ItemStatusesAsync(jobId);
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
        (await fixture.GatewayTokensAsync(merchant.MerchantId)).ShouldBe((Live: provisioned, Pending: 0L, Distinct: provisioned));
        (await BulkJobs.FindPansInDatabaseAsync(fixture, pans)).ShouldBeEmpty();
        log.WriteLine($"at the kill: {string.Join(", ", atKill.Select(pair => $"{pair.Key}={pair.Value}"))}; "
            + $"reconciled after restart: {output.Count(line => line.Contains("earlier attempt reconciled", StringComparison.Ordinal))}");
        BulkJobs.FindPansInLines(output, pans).ShouldBeEmpty();
    }

    private static long Done(JsonElement job) => job.Count("provisioned") + job.Count("declined");
}
