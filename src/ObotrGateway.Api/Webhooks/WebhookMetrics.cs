using System.Diagnostics.Metrics;
using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.Webhooks;

/// <summary>
/// Webhook instruments (docs/operations.md, "Metric catalogue"). Labels are delivery outcomes only: merchant ids
/// and URLs stay in webhook_deliveries, where an operator looks a failing merchant up.
/// </summary>
internal static class WebhookMetrics
{
    private static readonly Counter<long> Deliveries = Telemetry.Meter.CreateCounter<long>(
        "obotr.webhook.deliveries", "{attempt}", "Webhook delivery attempts, by outcome (delivered, http_error, timeout, connection_failed, address_blocked).");

    private static readonly Counter<long> Abandoned = Telemetry.Meter.CreateCounter<long>(
        "obotr.webhook.abandoned", "{event}", "Webhook events given up after Webhooks:MaxAttempts failed attempts.");

    private static readonly Histogram<double> Lag = Telemetry.SecondsHistogram(
        "obotr.webhook.delivery.lag", "Time from a token event's creation to its successful delivery (retries included).", upTo: 3600);

    public static void Attempted(string outcome, DateTimeOffset eventCreatedAt, DateTimeOffset now)
    {
        Deliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (outcome == WebhookDeliveryOutcomes.Delivered)
        {
            Lag.Record(Math.Max(0, (now - eventCreatedAt).TotalSeconds));
        }
    }

    public static void GaveUp() => Abandoned.Add(1);
}
