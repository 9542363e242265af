using System.Text.Json.Nodes;
using ObotrGateway.MdesSimulator.Faults;
using ObotrGateway.MdesSimulator.Notifications;

namespace ObotrGateway.MdesSimulator.Operations;

/// <summary>Operator views: the MDES request log, NTU deliveries, and faults.</summary>
internal static class SimulatorEndpoints
{
    public static IEndpointRouteBuilder MapSimulatorOperations(this IEndpointRouteBuilder app)
    {
        var simulator = app.MapGroup("/simulator").WithTags("Simulator operations");
        simulator.MapGet("/requests", Requests).WithName("simulator-requests")
            .WithDescription("MDES calls received, newest last (operation, TRID, TURs, result). Never holds a PAN or token number.");
        simulator.MapGet("/notifications", Notifications).WithName("simulator-notifications");
        simulator.MapFaults();
        return app;
    }

    public static IResult Requests(RequestLog log, string? operation, int? limit)
    {
        var entries = log.Entries.Snapshot()
            .Where(e => operation is null || string.Equals(e.Operation, operation, StringComparison.OrdinalIgnoreCase))
            .TakeLast(Math.Clamp(limit ?? 1000, 1, 10_000))
            .Select(e => (JsonNode)e.ToJson());
        return TypedResults.Json(new JsonObject { ["requests"] = new JsonArray([.. entries]) });
    }

    public static IResult Notifications(NotificationQueue queue, string? tokenUniqueReference)
    {
        var deliveries = queue.Log.Snapshot()
            .Where(d => tokenUniqueReference is null || d.TokenUniqueReferences.Contains(tokenUniqueReference))
            .Select(d => (JsonNode)d.ToJson());
        return TypedResults.Json(new JsonObject { ["notifications"] = new JsonArray([.. deliveries]) });
    }
}
