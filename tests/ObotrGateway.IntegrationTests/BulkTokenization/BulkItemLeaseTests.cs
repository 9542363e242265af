using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ObotrGateway.Api.BulkTokenization;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.Merchants;
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
        var job = await fixture.Simulator.WithFaultsAsync(new { operations = new Dictionary<string, object> { ["tokenize"] = new { latencyMs = 2500, errorRate = 0.0 } } },
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

    [Fact]
    public async Task Heartbeat_extendsTheLeaseWhileHeld_AndStopsCleanlyWhenStoppedMidBeat()
    {
        var (merchant, _) = await fixture.NewMerchantAsync();
        var store = fixture.Factory.Services.GetRequiredService<TokenizationJobStore>();
        var codec = fixture.Factory.Services.GetRequiredService<BulkCardCodec>();
        var jobId = Guid.CreateVersion7();
        (await store.TryCreateJobAsync(jobId, new CallingMerchant(merchant.MerchantId, merchant.TokenRequestorId), BulkFormat.Ndjson, null,
            DateTimeOffset.UtcNow, CancellationToken.None)).ShouldBeTrue();
        var pan = TestPans.Distinct(TestPans.ApprovedPrefix, 1)[0];
        fixture.ShareSample([pan]);
        await store.InsertBatchAsync(jobId, [new BulkLine(1, "ref-0", new CardInput(pan, 12, 2031, null, null, null), null)],
            line => codec.Protect(jobId, line.LineNumber, line.Card!), CancellationToken.None);
        var claimId = Guid.NewGuid();
        var lease = TimeSpan.FromSeconds(1);
        var item = (await store.ClaimAsync(jobId, claimId, lease, CancellationToken.None)).ShouldNotBeNull();
        var claimedUntil = await LeaseUntilAsync(jobId);

        var heartbeat = ItemLeaseHeartbeat.Start(store, item, claimId, lease, TimeProvider.System, NullLogger.Instance);
        await Eventually.TrueAsync(async () => await LeaseUntilAsync(jobId) > claimedUntil, TimeSpan.FromSeconds(10), "the lease was not extended");

        // The next beat blocks on a row lock held here, and the heartbeat is stopped while it waits: the stop must end the
        // beat and return, not throw into the worker (whose item write already decided the lease).
        await using var locker = new NpgsqlConnection(fixture.Database.ConnectionString);
        await locker.OpenAsync();
        await using var transaction = await locker.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM tokenization_job_items WHERE job_id = $1 FOR UPDATE", locker, transaction))
        {
            lockRow.Parameters.Add(new NpgsqlParameter { Value = jobId });
            await lockRow.ExecuteNonQueryAsync();
        }

        await Eventually.TrueAsync(async () => await fixture.ScalarAsync("""
            SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
              AND query LIKE 'UPDATE tokenization_job_items SET lease_until%'
            """) >= 1, TimeSpan.FromSeconds(10), "no beat waited on the lock");
        await heartbeat.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await transaction.RollbackAsync();
    }

    private async Task<DateTimeOffset> LeaseUntilAsync(Guid jobId)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT lease_until FROM tokenization_job_items WHERE job_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = jobId });
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue();
        return reader.GetFieldValue<DateTimeOffset>(0);
    }
}
