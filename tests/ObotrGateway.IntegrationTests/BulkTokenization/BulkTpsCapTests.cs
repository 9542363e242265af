using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.Testing;
using Xunit.Abstractions;

namespace ObotrGateway.IntegrationTests.BulkTokenization;

/// <summary>
/// The per-TRID cap judged as MDES judges it (ADR 0103): strict one-second windows over the simulator's arrival
/// timestamps, with the simulator enforcing the same cap at arrival (an overrun would show as RATE_LIMIT_EXCEEDED),
/// no margin anywhere. Own fixture in the timing-sensitive collection: the sustained-rate check measures real time.
/// Every call of the TRID counts, whatever the operation and whichever gateway made it: the hosts' Tokenize calls and
/// the fixture gateway's GetToken/GetTaskStatus after the activation NTUs it receives (all configured with one cap).
/// </summary>
[Collection(TimingSensitiveGroup.Name)]
public sealed class BulkTpsCapTests(GatewayFixture fixture, ITestOutputHelper log) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Jobs_onTwoGatewayHostsWithJitteredLatency_NoOneSecondOfArrivalsAboveTheSharedCap()
    {
        const int Cap = 10;
        var (merchant, _) = await fixture.NewMerchantAsync(GatewayFixture.TridAtCap(Cap));
        // Two replicas, each with its own worker queue: each works only its own job, so they meet only in Redis.
        await using var first = BulkGateway.Start(fixture, new Dictionary<string, string?>());
        await using var second = BulkGateway.Start(fixture, new Dictionary<string, string?>());
        var pans = TestPans.Distinct(TestPans.ApprovedPrefix, 100);
        fixture.ShareSample(pans);

        // Between grant and arrival 0–300 ms (the network in front of MDES), between arrival and answer 0–150 ms:
        // a limiter counting grants sees neither.
        await fixture.Simulator.WithFaultsAsync(new
        {
            operations = new Dictionary<string, object> { ["tokenize"] = new { latencyMs = 0, jitterMs = 150, errorRate = 0.0, inboundLatencyMs = 0, inboundJitterMs = 300 } },
            tpsLimits = new Dictionary<string, int> { [merchant.TokenRequestorId] = Cap },
        }, async () =>
        {
            using var one = first.MerchantClient(merchant.ApiKey);
            using var two = second.MerchantClient(merchant.ApiKey);
            var jobs = await Task.WhenAll(one.StartJobAsync(BulkJobs.Ndjson(pans[..50], "a-")), two.StartJobAsync(BulkJobs.Ndjson(pans[50..], "b-")));
            var ends = await Task.WhenAll(one.WaitForEndAsync(jobs[0], TimeSpan.FromSeconds(60)), two.WaitForEndAsync(jobs[1], TimeSpan.FromSeconds(60)));

            ends.ShouldAllBe(job => job.GetProperty("status").GetString() == "completed" && job.Count("provisioned") == 50);
        });

        var calls = await fixture.ArrivalsAsync(merchant.TokenRequestorId);
        var max = ArrivalWindows.MaxInAnySecond(calls.Select(call => call.At));
        log.WriteLine($"two hosts + fixture gateway, cap {Cap}, jitter 0–300 ms in + 0–150 ms out: {calls.Count} arrivals ({calls.Count(c => c.Operation == "tokenize")} tokenize), max {max} in any one-second window, "
            + $"throttled {calls.Count(call => call.Result == "RATE_LIMIT_EXCEEDED")}, sustained {BulkJobs.SustainedRate(calls.Select(call => call.At)):F1}/s");
        calls.Count(call => call.Result == "RATE_LIMIT_EXCEEDED").ShouldBe(0);
        calls.Count(call => call.Operation == "tokenize").ShouldBe(100);
        max.ShouldBeLessThanOrEqualTo(Cap);
    }

    [Fact]
    public async Task Job_300CardsAtCap25_NoOneSecondOfArrivalsAboveTheCapAtLeast90PercentUsedAndNoPanLeft()
    {
        const int Cap = 25;
        var (merchant, _) = await fixture.NewMerchantAsync(GatewayFixture.TridAtCap(Cap));
        await using var gateway = BulkGateway.Start(fixture, new Dictionary<string, string?>());
        using var client = gateway.MerchantClient(merchant.ApiKey);
        var pans = TestPans.Distinct(TestPans.ApprovedPrefix, 300);
        fixture.ShareSample(pans);

        var jobId = "";
        var job = await fixture.Simulator.WithFaultsAsync(new { tpsLimits = new Dictionary<string, int> { [merchant.TokenRequestorId] = Cap } }, async () =>
        {
            jobId = await client.StartJobAsync(BulkJobs.Ndjson(pans));
            return await client.WaitForEndAsync(jobId, TimeSpan.FromSeconds(60));
        });

        job.GetProperty("status").GetString().ShouldBe("completed", job.ToString());
        job.Count("provisioned").ShouldBe(300, job.ToString());
        var calls = await fixture.ArrivalsAsync(merchant.TokenRequestorId);
        var max = ArrivalWindows.MaxInAnySecond(calls.Select(call => call.At));
        var rate = BulkJobs.SustainedRate(calls.Select(call => call.At));
        log.WriteLine($"one host + fixture gateway, cap {Cap}, no injected latency: {calls.Count} arrivals ({calls.Count(c => c.Operation == "tokenize")} tokenize), max {max} in any one-second window, sustained {rate:F1}/s ({rate / Cap:P0} of the cap)");
        calls.Count(call => call.Result == "RATE_LIMIT_EXCEEDED").ShouldBe(0);
        calls.Count(call => call.Operation == "tokenize").ShouldBe(300);
        max.ShouldBeLessThanOrEqualTo(Cap);
        rate.ShouldBeGreaterThanOrEqualTo(0.9 * Cap);
        var items = await client.AllItemsAsync(jobId);
        items.Select(item => item.GetProperty("gatewayToken").GetString()).Distinct().Count().ShouldBe(300);
        items.Select(item => item.GetProperty("reference").GetString()).ToHashSet().SetEquals(Enumerable.Range(0, 300).Select(i => "ref-" + i))
            .ShouldBeTrue();
        (await BulkJobs.FindPansInDatabaseAsync(fixture, pans)).ShouldBeEmpty();
        BulkJobs.FindPansInLogs(fixture, pans).ShouldBeEmpty();
    }
}
