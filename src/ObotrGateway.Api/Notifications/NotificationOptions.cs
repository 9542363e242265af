using System.ComponentModel.DataAnnotations;

namespace ObotrGateway.Api.Notifications;

/// <summary>The <c>Notifications</c> section: NTU receipt, processing hand-off and the activation fallback.</summary>
internal sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Largest NTU body accepted; MDES sends one token per NTU, a few KB.</summary>
    [Range(1_024, 1_048_576)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How often the sweeper looks for inbox rows the message hand-off did not process (broker down, crash).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A received row older than this is processed by the sweeper itself (the message was lost or is late).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SweepAfter { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Publishing the hand-off message after the ack gives up after this long (the sweeper covers it).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A token still INACTIVE this long after tokenize is checked with GetTaskStatus and GetToken.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ActivationCheckAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a token that stays INACTIVE is checked again, and for how long after tokenize.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ActivationRecheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan ActivationCheckWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long applied and stale inbox rows (the tokens' NTU history) are kept after processing. Also the window in which
    /// a repeated NTU (same requestId and TUR) is recognised, so it must stay well above MDES's retry period.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00", ErrorMessage = "Notifications:InboxRetention must be 1 day to 10 years.")]
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the retention job removes processed inbox rows and finished webhook events.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Notifications:PurgeInterval must be 1 s to 1 day.")]
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A received row waiting for a TUR the gateway does not know (yet) is deleted after this long. Legitimately such a row
    /// waits seconds (activation overtaking the tokenize response); anything older names a token that is not ours.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Notifications:WaitingRetention must be 1 minute to 30 days.")]
    public TimeSpan WaitingRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// At most this many inbox rows may wait for unknown TURs; beyond it an NTU naming an unknown TUR is answered 503
    /// (MDES retries) instead of growing the inbox without bound.
    /// </summary>
    [Range(1, 10_000_000, ErrorMessage = "Notifications:MaxWaitingUpdates must be 1 to 10,000,000.")]
    public int MaxWaitingUpdates { get; set; } = 10_000;

    /// <summary>
    /// An NTU's statusTimestamp further than this ahead of the gateway's clock at receipt counts as the receipt time: a
    /// date in the future must not outrank every later update (clock skew within it keeps MDES's own order).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Notifications:MaxStatusTimestampAhead must be 0 to 1 hour.")]
    public TimeSpan MaxStatusTimestampAhead { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Accept NTUs only over TLS with a pinned client certificate (mutual TLS). Required outside Development unless
    /// <see cref="AllowUnauthenticatedCallbacks"/> (docs/notifications.md).
    /// </summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>
    /// The explicit opt-out outside Development: boot without mutual TLS on the callback, logging a warning at every start.
    /// Anyone holding the gateway's public encryption certificate can then write NTUs (the local stack and tests use it).
    /// </summary>
    public bool AllowUnauthenticatedCallbacks { get; set; }

    /// <summary>Optional: callers' networks (CIDR, e.g. "203.0.113.0/24") from which NTUs are accepted; empty = any.</summary>
    public List<string> AllowedCallerNetworks { get; set; } = [];

    /// <summary>Pinned client certificates by SHA-1 or SHA-256 thumbprint (hex, colons allowed).</summary>
    public List<string> AllowedClientCertificateThumbprints { get; set; } = [];

    /// <summary>Pinned client certificates by exact subject distinguished name.</summary>
    public List<string> AllowedClientCertificateSubjects { get; set; } = [];
}
