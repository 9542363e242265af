using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using ObotrGateway.MdesSimulator.Hosting;

namespace ObotrGateway.MdesSimulator.Faults;

/// <summary>Per-operation fault; operation <c>*</c> applies to every MDES operation without its own entry.</summary>
internal sealed record OperationFault(int LatencyMs, double ErrorRate);

internal sealed record FaultSet(
    IReadOnlyDictionary<string, OperationFault> Operations,
    int TpsLimit,
    bool DropNotifications,
    int NotificationDelayMs)
{
    public OperationFault For(string operation) =>
        Operations.GetValueOrDefault(operation) ?? Operations.GetValueOrDefault("*") ?? new OperationFault(0, 0);
}

/// <summary>Faults in force; swapped atomically by <c>POST /simulator/faults</c>.</summary>
internal sealed class FaultState
{
    private volatile FaultSet _current;

    public FaultState(IOptions<SimulatorOptions> options)
    {
        var o = options.Value;
        _current = new FaultSet(
            new Dictionary<string, OperationFault>(StringComparer.Ordinal) { ["*"] = new(o.Faults.LatencyMs, o.Faults.ErrorRate) },
            o.TpsLimit,
            o.Faults.DropNotifications,
            o.Faults.NotificationDelayMs);
    }

    public FaultSet Current => _current;

    public void Set(FaultSet faults) => _current = faults;

    /// <summary>Back to a clean simulator: no latency, no errors, no TPS limit, NTUs delivered.</summary>
    public void Clear() => _current = new FaultSet(new Dictionary<string, OperationFault>(), 0, false, 0);

    // Fault sampling is not a secret, but RandomNumberGenerator keeps one source of randomness in the code base.
    public static bool Roll(double rate) => rate > 0 && (rate >= 1 || RandomNumberGenerator.GetInt32(0, 1_000_000) < rate * 1_000_000);
}
