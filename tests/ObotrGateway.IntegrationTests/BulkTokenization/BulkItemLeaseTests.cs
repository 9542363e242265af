using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.IntegrationTests.Notifications;
using ObotrGateway.Testing;

namespace ObotrGateway.IntegrationTests.BulkTokenization;

/// <summary>
/// A live worker keeps its item however long MDES takes (ItemLeaseHeartbeat): a lease shorter than one Tokenize call
/// must not hand the item to a second worker, which would count a second attempt, reconcile it and may tokenize the card
/// again.
/// </summary>
[Collection(BulkTestGroup.Name)]
public sealed class BulkItemLeaseTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Job_whoseTokenizeCallsOutlastTheItemLease_KeepsEachItemWithItsWorkerAndTokenizesEveryCardOnce()
    {
        var (merchant, _) = await fixture.NewMerchantAsync();
        await using var gateway = BulkGateway.Start(fixture, new Dictionary<string, string?>
        {
            ["BulkTokenization:ItemLease"] = "00:00:01",
            ["BulkTokenization:WorkersPerJob"] = "4",
            // Room for the injected latency on a busy machine: a timed-out call would be reconciled for its own reason.
            ["Mdes:AttemptTimeout"] = "00:00:10",
            ["Mdes:TotalTimeout"] = "00:00:20",
        });
        using var client = gateway.MerchantClient(merchant.ApiKey);
        var pans = TestPans.Distinct(TestPans.ApprovedPrefix, 12);
        fixture.ShareSample(pans);

        // Every Tokenize answers after 2.5 s, two and a half leases: without the heartbeat each item is taken over mid-call.
        var jobId = "";
        var job = await fixture.WithFaultsAsync(new { operations = new Dictionary<string, object> { ["tokenize"] = new { latencyMs = 2500, errorRate = 0.0 } } },
            async () =>
            {
                jobId = await client.StartJobAsync(BulkJobs.Ndjson(pans));
                return await client.WaitForEndAsync(jobId, TimeSpan.FromSeconds(60));
            });

        job.GetProperty("status").GetString().ShouldBe("completed", job.ToString());
        job.Count("provisioned").ShouldBe(12, job.ToString());
        (await fixture.CallsAsync("tokenize", merchant.TokenRequestorId)).Count.ShouldBe(12, "a card was sent to Tokenize twice");
        (await fixture.ScalarAsync("SELECT max(attempts) FROM tokenization_job_items WHERE job_id = $1", Guid.Parse(jobId)))
            .ShouldBe(1, "an item was taken over while its worker was alive");
        (await fixture.GatewayTokensAsync(merchant.MerchantId)).ShouldBe((Live: 12L, Pending: 0L, Distinct: 12L));
    }
}
