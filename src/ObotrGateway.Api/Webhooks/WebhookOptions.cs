using System.ComponentModel.DataAnnotations;

namespace ObotrGateway.Api.Webhooks;

/// <summary>The <c>Webhooks</c> section.</summary>
internal sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Accept http:// webhook URLs (development and tests only; production merchants need https).</summary>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// Accept and deliver to loopback, private, link-local and other non-public addresses (development and tests
    /// only: in production it lets a merchant aim the gateway at internal services).
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First retry delay; doubled after every failed attempt up to MaxRetryDelay.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>After this many failed attempts the event is marked failed (it stays in the delivery log).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 12;

    [Range(1, 500)]
    public int BatchSize { get; set; } = 50;

    /// <summary>
    /// After a secret rotation, how long the replaced secret still signs deliveries (beside the new one), so the merchant
    /// can deploy the new secret to every receiver without a delivery failing verification (ADR 0407). Zero: the old
    /// secret stops at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00", ErrorMessage = "Webhooks:SecretRotationOverlap must be 0 to 7 days.")]
    public TimeSpan SecretRotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long delivered, failed and no_webhook events, with their delivery log, are kept (counted from the event's
    /// creation); pending events are never removed. The purge runs every Notifications:PurgeInterval.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00", ErrorMessage = "Webhooks:EventRetention must be 1 day to 10 years.")]
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(30);
}
