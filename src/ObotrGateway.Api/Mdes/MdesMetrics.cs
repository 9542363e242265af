using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Mdes.Encryption;
using ObotrGateway.Api.Mdes.RateLimiting;

namespace ObotrGateway.Api.Mdes;

/// <summary>
/// MDES call and TPS cap instruments (docs/operations.md, "Metric catalogue"). Labels: the operation, an outcome
/// from a fixed list, the priority and the TRID — a merchant-configuration value, so bounded by the merchant
/// count. Never a TUR, token number or request id.
/// </summary>
internal static class MdesMetrics
{
    private static readonly Counter<long> Calls = Telemetry.Meter.CreateCounter<long>(
        "obotr.mdes.calls", "{call}", "MDES calls as their callers saw them (retries and TPS waits included), by operation, outcome and TRID.");

    private static readonly Histogram<double> CallDuration = Telemetry.SecondsHistogram(
        "obotr.mdes.call.duration", "Duration of MDES calls including TPS waits and retries, by operation and outcome.");

    private static readonly Counter<long> Slots = Telemetry.Meter.CreateCounter<long>(
        "obotr.mdes.tps.slots", "{slot}", "TPS slots granted (one per attempt sent to MDES), by TRID and priority.");

    private static readonly Histogram<double> SlotWait = Telemetry.SecondsHistogram(
        "obotr.mdes.tps.wait.duration", "Time a caller waited for its TPS slot (0 when one was free), by TRID and priority.", upTo: 600);

    private static readonly Counter<long> Denials = Telemetry.Meter.CreateCounter<long>(
        "obotr.mdes.tps.denials", "{call}", "Interactive calls refused because the TRID's TPS cap left no slot within the wait allowed.");

    // The caps of the TRIDs this replica has called for; read by the limit gauge.
    private static readonly ConcurrentDictionary<string, int> Limits = new(StringComparer.Ordinal);

    private static readonly FrozenDictionary<MdesOperation, string> OperationNames =
        Enum.GetValues<MdesOperation>().ToFrozenDictionary(value => value, value => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString()));

    private static readonly FrozenDictionary<MdesUnavailableReason, string> ReasonNames =
        Enum.GetValues<MdesUnavailableReason>().ToFrozenDictionary(value => value, value => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString()));

    static MdesMetrics() =>
        Telemetry.Meter.CreateObservableGauge("obotr.mdes.tps.limit",
            () => Limits.Select(limit => new Measurement<int>(limit.Value, new KeyValuePair<string, object?>("trid", limit.Key))),
            "{call}", "The TPS cap per TRID (calls per second across all replicas), for the TRIDs this replica has called for.");

    /// <summary>Awaits <paramref name="call"/> and records its outcome; <paramref name="started"/> is a Stopwatch timestamp.</summary>
    public static async Task<T> MeasureAsync<T>(MdesOperation operation, MdesCallContext context, long started, Task<T> call)
    {
        var outcome = "success";
        try
        {
            return await call;
        }
        catch (Exception exception)
        {
            outcome = Outcome(exception);
            throw;
        }
        finally
        {
            var tags = new TagList { { "operation", OperationNames[operation] }, { "outcome", outcome } };
            CallDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
            tags.Add("trid", context.TokenRequestorId);
            Calls.Add(1, tags);
        }
    }

    public static void SlotGranted(string tokenRequestorId, MdesCallPriority priority, int limit, TimeSpan waited)
    {
        Limits[tokenRequestorId] = limit;
        var tags = new TagList { { "trid", tokenRequestorId }, { "priority", Priority(priority) } };
        Slots.Add(1, tags);
        SlotWait.Record(waited.TotalSeconds, tags);
    }

    public static void SlotRefused(string tokenRequestorId, MdesCallPriority priority) =>
        Denials.Add(1, new TagList { { "trid", tokenRequestorId }, { "priority", Priority(priority) } });

    /// <summary>A fixed list, so a new exception type can never add label values.</summary>
    internal static string Outcome(Exception exception) => exception switch
    {
        MdesException => "mdes_error",
        MdesUnavailableException unavailable => ReasonNames[unavailable.Reason],
        MdesCryptographyException => "cryptography_error",
        OperationCanceledException => "cancelled",
        _ => "client_error",
    };

    private static string Priority(MdesCallPriority priority) => priority == MdesCallPriority.Batch ? "batch" : "interactive";
}
