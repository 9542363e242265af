using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ObotrGateway.MdesSimulator.Hosting;

namespace ObotrGateway.MdesSimulator.Operations;

/// <summary>
/// One MDES call as kept for <c>GET /simulator/requests</c>. Holds identifiers only: never a PAN, token number,
/// cryptogram or payload, so the log can be shown to anyone. <c>ArrivedAt</c> is when MDES counted the call (the
/// instant its TRID's cap was checked; what a TPS cap is judged by), <c>Timestamp</c> when it was answered.
/// </summary>
internal sealed record RequestLogEntry(
    DateTimeOffset ArrivedAt,
    DateTimeOffset Timestamp,
    string Operation,
    string? RequestorId,
    string? TokenRequestorId,
    string? RequestId,
    IReadOnlyList<string> TokenUniqueReferences,
    int HttpStatus,
    string Result)
{
    public JsonObject ToJson() => new()
    {
        ["arrivedAt"] = ArrivedAt,
        ["timestamp"] = Timestamp,
        ["operation"] = Operation,
        ["requestorId"] = RequestorId,
        ["tokenRequestorId"] = TokenRequestorId,
        ["requestId"] = RequestId,
        ["tokenUniqueReferences"] = new JsonArray([.. TokenUniqueReferences.Select(t => (JsonNode)t)]),
        ["httpStatus"] = HttpStatus,
        ["result"] = Result,
    };
}

internal sealed class RequestLog(IOptions<SimulatorOptions> options)
{
    public RingBuffer<RequestLogEntry> Entries { get; } = new(options.Value.RequestLogCapacity);
}
