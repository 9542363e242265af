using System.Diagnostics.Metrics;
using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.Cryptograms;

/// <summary>
/// Vault instruments (docs/operations.md, "Metric catalogue"). No labels beyond hit/miss: the vault is keyed by
/// TUR, which must never become a label, so stock is a distribution over tokens rather than a per-token gauge.
/// </summary>
internal static class CryptogramMetrics
{
    private static readonly Counter<long> Takes = Telemetry.Meter.CreateCounter<long>(
        "obotr.cryptogram.vault.takes", "{cryptogram}", "Payments' vault look-ups: hit (a stored cryptogram used) or miss (Transact inline).");

    private static readonly Counter<long> Refilled = Telemetry.Meter.CreateCounter<long>(
        "obotr.cryptogram.vault.refilled", "{cryptogram}", "Cryptograms added to the vault by background refills.");

    private static readonly Histogram<long> Stock = Telemetry.Meter.CreateHistogram(
        "obotr.cryptogram.vault.stock", "{cryptogram}", "A token's live cryptograms when its refill starts (right after a take).",
        tags: null, new InstrumentAdvice<long> { HistogramBucketBoundaries = [0, 1, 2, 3, 5, 10, 20] });

    public static void Taken(bool hit) => Takes.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    public static void RefillStarted(long stock) => Stock.Record(stock);

    public static void RefillAdded() => Refilled.Add(1);
}
