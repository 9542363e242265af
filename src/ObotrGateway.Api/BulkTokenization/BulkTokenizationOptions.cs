using System.ComponentModel.DataAnnotations;

namespace ObotrGateway.Api.BulkTokenization;

/// <summary>Configuration section <c>BulkTokenization</c> (docs/bulk-tokenization.md).</summary>
internal sealed class BulkTokenizationOptions
{
    public const string Section = "BulkTokenization";

    /// <summary>Body size limit of <c>POST /v1/tokenization-jobs</c> only; every other endpoint keeps the global 64 KiB.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 1L << 30;

    /// <summary>A longer line is refused as <c>line_too_long</c> (and never buffered beyond this).</summary>
    [Range(128, 1 << 20)]
    public int MaxLineBytes { get; set; } = 4096;

    /// <summary>Rows per multi-row INSERT while uploading.</summary>
    [Range(1, 10_000)]
    public int InsertBatchSize { get; set; } = 1000;

    /// <summary>Worker messages published per job; each runs one item at a time. The TPS limiter, not this, bounds the call rate.</summary>
    [Range(1, 256)]
    public int WorkersPerJob { get; set; } = 16;

    /// <summary>How many worker messages one replica runs at once (all jobs together).</summary>
    [Range(1, 1024)]
    public int ConcurrentWorkersPerReplica { get; set; } = 32;

    /// <summary>A worker message hands over to a fresh one after this long, so no broker delivery stays unacknowledged for hours.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan WorkerSliceDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A claimed item whose worker died is taken over (and reconciled) after this long; a live worker extends it every third of it (ADR 1205).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ItemLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>MDES unavailable: the item waits this long, then is tried again, up to <see cref="MaxAttempts"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>How often the recovery pass (<see cref="BulkJobRecovery"/>) looks for jobs a crash left behind.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A running job whose workers were never sent (crash right after its upload) gets them this long after.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan WorkersMissingAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>An upload that stored no batch for this long is failed and its stored cards are deleted.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AbandonedUploadAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Lifetime of a job's ineligible-range filter in Redis if the job never ends (it is dropped when the job ends).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan IneligibleFilterTtl { get; set; } = TimeSpan.FromDays(7);
}
