using System.ComponentModel.DataAnnotations;

namespace ObotrGateway.Api.TokenLifecycle;

/// <summary>The <c>TokenLifecycle</c> section.</summary>
internal sealed class TokenLifecycleOptions
{
    public const string Section = "TokenLifecycle";

    /// <summary>Most gateway tokens one batch request may name.</summary>
    public const int MaxBatchSize = 500;

    /// <summary>How long a deleted (archived) gateway token is kept before the retention job removes it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00", ErrorMessage = "TokenLifecycle:ArchiveRetention must be 1 s to 10 years.")]
    public TimeSpan ArchiveRetention { get; set; } = TimeSpan.FromDays(730);

    /// <summary>How often the retention job looks for expired archived tokens.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00", ErrorMessage = "TokenLifecycle:PurgeInterval must be 100 ms to 1 day.")]
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// MDES calls (each ≤10 tokens) one batch request runs at a time. The per-TRID TPS cap still applies on top:
    /// batch calls wait for a slot rather than fail.
    /// </summary>
    [Range(1, 32, ErrorMessage = "TokenLifecycle:BatchParallelism must be 1 to 32.")]
    public int BatchParallelism { get; set; } = 4;
}
