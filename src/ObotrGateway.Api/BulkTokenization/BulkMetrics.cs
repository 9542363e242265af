using System.Diagnostics.Metrics;
using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.BulkTokenization;

/// <summary>Bulk tokenization instruments (docs/operations.md, "Metric catalogue"). Labels are item statuses only.</summary>
internal static class BulkMetrics
{
    private static readonly Counter<long> Items = Telemetry.Meter.CreateCounter<long>(
        "obotr.bulk.items", "{item}", "Bulk items settled, by final status (provisioned, declined, ineligible, …), or handed back (retry_later).");

    private static readonly Counter<long> Jobs = Telemetry.Meter.CreateCounter<long>(
        "obotr.bulk.jobs", "{job}", "Bulk jobs created and finished (completed or cancelled), by event.");

    /// <summary>Counts the item when this worker's write settled it (its lease held); returns <paramref name="settled"/>.</summary>
    public static bool ItemSettled(string status, bool settled)
    {
        if (settled)
        {
            Items.Add(1, new KeyValuePair<string, object?>("status", status));
        }

        return settled;
    }

    public static void ItemHandedBack() => Items.Add(1, new KeyValuePair<string, object?>("status", "retry_later"));

    public static bool Job(string @event, bool happened)
    {
        if (happened)
        {
            Jobs.Add(1, new KeyValuePair<string, object?>("event", @event));
        }

        return happened;
    }
}
