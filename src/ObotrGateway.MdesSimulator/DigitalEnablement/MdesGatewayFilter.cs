using System.Text.Json;
using Microsoft.Extensions.Options;
using ObotrGateway.MdesSimulator.Faults;
using ObotrGateway.MdesSimulator.Hosting;
using ObotrGateway.MdesSimulator.Operations;
using ObotrGateway.MdesSimulator.Security;
using ObotrGateway.MdesSimulator.Tokens;

namespace ObotrGateway.MdesSimulator.DigitalEnablement;

/// <summary>
/// What Mastercard's API gateway does before MDES sees a call: the faults' inbound delay (the network on the way in),
/// OAuth 1.0a verification over the exact bytes received, then the per-TRID cap counted at arrival; then the
/// simulator's injected latency and errors; and, afterwards, the request log entry with the arrival time.
/// </summary>
internal sealed partial class MdesGatewayFilter(
    OAuthVerifier verifier,
    FaultState faults,
    TridTpsGate tps,
    TokenStore tokens,
    RequestLog requestLog,
    IOptions<SimulatorOptions> options,
    TimeProvider time,
    ILogger<MdesGatewayFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var operation = http.GetEndpoint()?.Metadata.GetMetadata<MdesOperation>()?.Name ?? "unknown";
        var current = faults.Current;
        var fault = current.For(operation);
        if (fault.Inbound() is var inbound && inbound > TimeSpan.Zero)
        {
            await Task.Delay(inbound, time, http.RequestAborted);
        }

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var body = buffer.ToArray();

        var auth = verifier.Verify(http.Request, body);
        if (auth.Requestor is null)
        {
            LogRejected(logger, operation, auth.ReasonCode!);
            Record(time.GetUtcNow(), operation, null, null, null, 401, auth.ReasonCode!);
            return TypedResults.Json(GatewayError.Body(auth.ReasonCode!, auth.Description!), statusCode: 401);
        }

        var trid = TokenRequestorIdOf(body);
        if (!tps.TryEnter(trid, current.TpsLimitFor(trid), out var arrivedAt))
        {
            LogThrottled(logger, operation, trid);
            Record(arrivedAt, operation, null, auth.Requestor.LogId, trid, 429, "RATE_LIMIT_EXCEEDED");
            return TypedResults.Json(GatewayError.Body("RATE_LIMIT_EXCEEDED", "Too many requests"), statusCode: 429);
        }

        var call = new MdesCall(operation, auth.Requestor, body, options.Value.ResponseHost);
        http.Items[typeof(MdesCall)] = call;
        if (fault.Processing() is var latency && latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, time, http.RequestAborted);
        }

        object? result = FaultState.Roll(fault.ErrorRate) ? call.Fail(MdesError.InternalFailure) : await next(context);
        Record(arrivedAt, operation, call, auth.Requestor.LogId, call.TokenRequestorId, call.HttpStatus, call.Result);
        LogHandled(logger, operation, call.HttpStatus, call.Result);
        return result;
    }

    /// <summary>
    /// The TRID MDES counts the call under: the request's <c>tokenRequestorId</c> (Tokenize, SearchTokens,
    /// GetTaskStatus), else the TRID of the first token it names; null (one shared window) when neither is known.
    /// </summary>
    private string? TokenRequestorIdOf(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (json.RootElement.TryGetProperty("tokenRequestorId", out var trid) && trid.ValueKind == JsonValueKind.String)
            {
                return trid.GetString();
            }

            var tur = json.RootElement.TryGetProperty("tokenUniqueReference", out var one) && one.ValueKind == JsonValueKind.String ? one.GetString()
                : json.RootElement.TryGetProperty("tokenUniqueReferences", out var many) && many.ValueKind == JsonValueKind.Array && many.GetArrayLength() > 0
                    && many[0].ValueKind == JsonValueKind.String ? many[0].GetString()
                : null;
            return tur is null ? null : tokens.Find(tur)?.TokenRequestorId;
        }
        catch (JsonException)
        {
            return null; // The operation answers INVALID_JSON; for the cap it is a call without a TRID.
        }
    }

    private void Record(DateTimeOffset arrivedAt, string operation, MdesCall? call, string? requestorId, string? tokenRequestorId, int status, string result) =>
        requestLog.Entries.Add(new RequestLogEntry(
            arrivedAt, time.GetUtcNow(), operation, requestorId, tokenRequestorId, call?.RequestId,
            call is null ? [] : [.. call.TokenUniqueReferences], status, result));

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "MDES {Operation} throttled: TRID {TokenRequestorId} over its cap")]
    private static partial void LogThrottled(ILogger logger, string operation, string? tokenRequestorId);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "MDES {Operation} rejected by gateway: {ReasonCode}")]
    private static partial void LogRejected(ILogger logger, string operation, string reasonCode);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "MDES {Operation} answered {HttpStatus} {Result}")]
    private static partial void LogHandled(ILogger logger, string operation, int httpStatus, string result);
}
