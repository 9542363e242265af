using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using ObotrGateway.MdesSimulator.Hosting;

namespace ObotrGateway.MdesSimulator.Faults;

/// <summary>
/// Per-operation fault; operation <c>*</c> applies to every MDES operation without its own entry. Two delays, each a
/// fixed part plus a uniformly random part in [0, jitter]: <c>InboundLatencyMs</c>/<c>InboundJitterMs</c> pass before
/// the call arrives (a slow network or a queue on the way in: the arrival, and the cap, see it late);
/// <c>LatencyMs</c>/<c>JitterMs</c> pass after it arrived, before the answer (MDES or the issuer being slow).
/// </summary>
internal sealed record OperationFault(int LatencyMs, double ErrorRate, int JitterMs = 0, int InboundLatencyMs = 0, int InboundJitterMs = 0)
{
    public TimeSpan Inbound() => Delay(InboundLatencyMs, InboundJitterMs);

    public TimeSpan Processing() => Delay(LatencyMs, JitterMs);

    public bool IsValid => LatencyMs >= 0 && JitterMs >= 0 && InboundLatencyMs >= 0 && InboundJitterMs >= 0 && ErrorRate is >= 0 and <= 1;

    private static TimeSpan Delay(int fixedMs, int jitterMs) =>
        TimeSpan.FromMilliseconds(fixedMs + (jitterMs > 0 ? RandomNumberGenerator.GetInt32(0, jitterMs + 1) : 0));
}

/// <summary>
/// Faults in force. <c>TpsLimit</c> is MDES's cap per TRID (0 = off), <c>TpsLimits</c> caps for single TRIDs; both are
/// counted over arrivals (<see cref="TridTpsGate"/>).
/// </summary>
internal sealed record FaultSet(
    IReadOnlyDictionary<string, OperationFault> Operations,
    int TpsLimit,
    bool DropNotifications,
    int NotificationDelayMs,
    IReadOnlyDictionary<string, int>? TpsLimits = null)
{
    public OperationFault For(string operation) =>
        Operations.GetValueOrDefault(operation) ?? Operations.GetValueOrDefault("*") ?? new OperationFault(0, 0);

    public int TpsLimitFor(string? tokenRequestorId) =>
        tokenRequestorId is not null && TpsLimits?.TryGetValue(tokenRequestorId, out var cap) == true ? cap : TpsLimit;
}

/// <summary>Faults in force; swapped atomically by <c>POST /simulator/faults</c>.</summary>
internal sealed class FaultState
{
    private volatile FaultSet _current;

    public FaultState(IOptions<SimulatorOptions> options)
    {
        var o = options.Value;
        _current = new FaultSet(
            new Dictionary<string, OperationFault>(StringComparer.Ordinal)
            {
                ["*"] = new(o.Faults.LatencyMs, o.Faults.ErrorRate, o.Faults.JitterMs, o.Faults.InboundLatencyMs, o.Faults.InboundJitterMs),
            },
            o.TpsLimit,
            o.Faults.DropNotifications,
            o.Faults.NotificationDelayMs,
            new Dictionary<string, int>(o.TpsLimits, StringComparer.Ordinal));
    }

    public FaultSet Current => _current;

    public void Set(FaultSet faults) => _current = faults;

    /// <summary>Back to a clean simulator: no latency, no errors, no TPS limit, NTUs delivered.</summary>
    public void Clear() => _current = new FaultSet(new Dictionary<string, OperationFault>(), 0, false, 0);

    // Fault sampling is not a secret, but RandomNumberGenerator keeps one source of randomness in the code base.
    public static bool Roll(double rate) => rate > 0 && (rate >= 1 || RandomNumberGenerator.GetInt32(0, 1_000_000) < rate * 1_000_000);
}
