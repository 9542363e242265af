using System.Diagnostics.Metrics;
using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.CardArt;

/// <summary>Card art cache instruments (docs/operations.md, "Metric catalogue"). No asset ids or cache keys as labels.</summary>
internal static class CardArtMetrics
{
    private static readonly Counter<long> Lookups = Telemetry.Meter.CreateCounter<long>(
        "obotr.card_art.cache.lookups", "{lookup}", "Card art cache look-ups, by kind (asset: MDES image; composite: rendered card) and result (hit, miss).");

    public static void Asset(bool hit) => Record("asset", hit);

    /// <summary>Counts a composite look-up and passes its result through.</summary>
    public static CardArtContent? Composite(CardArtContent? found)
    {
        Record("composite", found is not null);
        return found;
    }

    private static void Record(string kind, bool hit) =>
        Lookups.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));
}
