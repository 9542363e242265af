using Microsoft.AspNetCore.Http.HttpResults;

namespace ObotrGateway.MdesSimulator.Faults;

/// <summary>
/// Replaces all faults at once (anything omitted is off). Operation names: tokenize, transact, getToken, searchTokens,
/// suspend, unsuspend, delete, getTaskStatus, getAsset, or <c>*</c> for all. <c>tpsLimit</c> caps every TRID,
/// <c>tpsLimits</c> single TRIDs.
/// </summary>
internal sealed record FaultsDocument(
    IReadOnlyDictionary<string, OperationFault>? Operations,
    int? TpsLimit,
    bool? DropNotifications,
    int? NotificationDelayMs,
    IReadOnlyDictionary<string, int>? TpsLimits = null);

internal sealed record FaultsError(string ReasonCode, string Description);

internal static class FaultEndpoints
{
    private static readonly string[] Operations =
        ["*", "tokenize", "transact", "getToken", "searchTokens", "suspend", "unsuspend", "delete", "getTaskStatus", "getAsset"];

    public static RouteGroupBuilder MapFaults(this RouteGroupBuilder simulator)
    {
        simulator.MapGet("/faults", Get).WithName("faults-get");
        simulator.MapPost("/faults", Set).WithName("faults-set");
        simulator.MapDelete("/faults", Clear).WithName("faults-clear");
        return simulator;
    }

    public static Ok<FaultsDocument> Get(FaultState faults) => TypedResults.Ok(View(faults.Current));

    public static Results<Ok<FaultsDocument>, BadRequest<FaultsError>> Set(FaultsDocument request, FaultState faults)
    {
        var operations = request.Operations ?? new Dictionary<string, OperationFault>();
        foreach (var (name, fault) in operations)
        {
            if (!Operations.Contains(name, StringComparer.Ordinal) || fault is null || !fault.IsValid)
            {
                return TypedResults.BadRequest(new FaultsError("INVALID_FAULT",
                    $"Operation '{name}': known operations are {string.Join(", ", Operations)}; latencyMs, jitterMs, inboundLatencyMs, inboundJitterMs >= 0; errorRate 0..1"));
            }
        }

        if (request.TpsLimit < 0 || request.NotificationDelayMs < 0 || request.TpsLimits?.Values.Any(cap => cap < 0) == true)
        {
            return TypedResults.BadRequest(new FaultsError("INVALID_FAULT", "tpsLimit, tpsLimits and notificationDelayMs must not be negative"));
        }

        faults.Set(new FaultSet(
            new Dictionary<string, OperationFault>(operations, StringComparer.Ordinal),
            request.TpsLimit ?? 0,
            request.DropNotifications ?? false,
            request.NotificationDelayMs ?? 0,
            new Dictionary<string, int>(request.TpsLimits ?? new Dictionary<string, int>(), StringComparer.Ordinal)));
        return TypedResults.Ok(View(faults.Current));
    }

    public static Ok<FaultsDocument> Clear(FaultState faults)
    {
        faults.Clear();
        return TypedResults.Ok(View(faults.Current));
    }

    private static FaultsDocument View(FaultSet set) =>
        new(set.Operations, set.TpsLimit, set.DropNotifications, set.NotificationDelayMs, set.TpsLimits ?? new Dictionary<string, int>());
}
