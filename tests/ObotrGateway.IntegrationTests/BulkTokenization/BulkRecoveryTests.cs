using Microsoft.Extensions.DependencyInjection;
using ObotrGateway.Api.BulkTokenization;
using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Merchants;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.IntegrationTests.Notifications;
using ObotrGateway.Testing;

namespace ObotrGateway.IntegrationTests.BulkTokenization;

/// <summary>
/// The crash gaps around an upload, recreated with the job store exactly where a process would have died: after the
/// upload committed but before its workers were sent, and in the middle of the stream.
/// </summary>
[Collection(BulkTestGroup.Name)]
public sealed class BulkRecoveryTests(GatewayFixture fixture)
{
    private static readonly Dictionary<string, string?> FastRecovery = new()
    {
        ["BulkTokenization:RecoveryInterval"] = "00:00:00.500",
        ["BulkTokenization:WorkersMissingAfter"] = "00:00:02",
        ["BulkTokenization:AbandonedUploadAfter"] = "00:00:03",
    };

    private static async Task<Guid> UploadWithoutWorkersAsync(BulkGateway gateway, TestMerchant merchant, IReadOnlyList<string> pans, bool complete)
    {
        var store = gateway.Services.GetRequiredService<TokenizationJobStore>();
        var codec = gateway.Services.GetRequiredService<BulkCardCodec>();
        var jobId = Guid.CreateVersion7();
        (await store.TryCreateJobAsync(jobId, new CallingMerchant(merchant.MerchantId, merchant.TokenRequestorId), BulkFormat.Ndjson,
            "recovery-" + jobId.ToString("N")[..8], DateTimeOffset.UtcNow, CancellationToken.None)).ShouldBeTrue();
        var lines = pans.Select((pan, i) => new BulkLine(i + 1, $"ref-{i}", new CardInput(pan, 12, 2031, null, null, null), null)).ToList();
        await store.InsertBatchAsync(jobId, lines, line => codec.Protect(jobId, line.LineNumber, line.Card!), CancellationToken.None);
        if (complete)
        {
            (await store.MarkUploadedAsync(jobId, lines.Count, 0, new byte[32], CancellationToken.None)).ShouldBeTrue();
        }

        // The process "dies" here: no StartWorkersAsync, no MarkWorkersSentAsync.
        return jobId;
    }

    [Fact]
    public async Task Job_whose_workers_were_never_sent_is_started_by_the_recovery_pass_and_completes()
    {
        await using var gateway = BulkGateway.Start(fixture, FastRecovery);
        var (merchant, _) = await fixture.NewMerchantAsync();
        using var client = gateway.MerchantClient(merchant.ApiKey);
        var pans = TestPans.Distinct(TestPans.ApprovedPrefix, 5);
        fixture.ShareSample(pans);

        var jobId = await UploadWithoutWorkersAsync(gateway, merchant, pans, complete: true);
        var job = await client.WaitForEndAsync(jobId.ToString(), TimeSpan.FromSeconds(45));

        job.GetProperty("status").GetString().ShouldBe("completed", job.ToString());
        job.Count("provisioned").ShouldBe(5, job.ToString());
        (await fixture.ScalarAsync("SELECT count(*) FROM tokenization_jobs WHERE id = $1 AND workers_sent_at IS NOT NULL", jobId)).ShouldBe(1);
        fixture.Logs.Lines.ShouldContain(line => line.Contains("had no workers", StringComparison.Ordinal)
            && line.Contains(jobId.ToString(), StringComparison.Ordinal));
        (await fixture.CallsAsync("tokenize", merchant.TokenRequestorId)).Count.ShouldBe(5);
        (await BulkJobs.FindPansInDatabaseAsync(fixture, pans)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Upload_that_stalls_is_failed_its_cards_deleted_and_nothing_more_of_it_is_stored()
    {
        await using var gateway = BulkGateway.Start(fixture, FastRecovery);
        var (merchant, _) = await fixture.NewMerchantAsync();
        var pans = TestPans.Distinct(TestPans.ApprovedPrefix, 3);
        fixture.ShareSample(pans);

        var jobId = await UploadWithoutWorkersAsync(gateway, merchant, pans, complete: false);
        (await fixture.ScalarAsync("SELECT count(*) FROM tokenization_job_items WHERE job_id = $1 AND encrypted_card IS NOT NULL", jobId)).ShouldBe(3);

        await Eventually.TrueAsync(
            async () => await fixture.ScalarAsync("SELECT count(*) FROM tokenization_jobs WHERE id = $1 AND status = 'failed'", jobId) == 1,
            TimeSpan.FromSeconds(20), "stalled upload not failed");
        (await fixture.ScalarAsync("SELECT count(*) FROM tokenization_job_items WHERE job_id = $1", jobId)).ShouldBe(0);
        (await fixture.ScalarAsync("SELECT count(*) FROM tokenization_jobs WHERE id = $1 AND idempotency_key IS NULL", jobId)).ShouldBe(1);

        // The stream "wakes up": nothing more is stored and the job does not start.
        var store = gateway.Services.GetRequiredService<TokenizationJobStore>();
        var codec = gateway.Services.GetRequiredService<BulkCardCodec>();
        var late = new BulkLine(9, "late", new CardInput(TestPans.Distinct(TestPans.ApprovedPrefix, 1)[0], 12, 2031, null, null, null), null);
        fixture.ShareSample([late.Card!.Pan]);
        await Should.ThrowAsync<UploadAbandonedException>(() =>
            store.InsertBatchAsync(jobId, [late], line => codec.Protect(jobId, line.LineNumber, line.Card!), CancellationToken.None));
        (await store.MarkUploadedAsync(jobId, 4, 0, new byte[32], CancellationToken.None)).ShouldBeFalse();
        (await fixture.ScalarAsync("SELECT count(*) FROM tokenization_job_items WHERE job_id = $1", jobId)).ShouldBe(0);
        (await fixture.CallsAsync("tokenize", merchant.TokenRequestorId)).Count.ShouldBe(0);
    }
}
