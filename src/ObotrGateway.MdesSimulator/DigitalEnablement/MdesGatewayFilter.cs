using Microsoft.Extensions.Options;
using ObotrGateway.MdesSimulator.Faults;
using ObotrGateway.MdesSimulator.Hosting;
using ObotrGateway.MdesSimulator.Operations;
using ObotrGateway.MdesSimulator.Security;

namespace ObotrGateway.MdesSimulator.DigitalEnablement;

/// <summary>
/// What Mastercard's API gateway does before MDES sees a call: throttling, OAuth 1.0a verification over the exact
/// bytes received; then the simulator's injected faults; and, afterwards, the request log entry.
/// </summary>
internal sealed partial class MdesGatewayFilter(
    OAuthVerifier verifier,
    FaultState faults,
    TpsGate tps,
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
        if (!tps.TryEnter(current.TpsLimit))
        {
            Record(operation, null, null, 429, "RATE_LIMIT_EXCEEDED");
            return TypedResults.Json(GatewayError.Body("RATE_LIMIT_EXCEEDED", "Too many requests"), statusCode: 429);
        }

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var body = buffer.ToArray();

        var auth = verifier.Verify(http.Request, body);
        if (auth.Requestor is null)
        {
            LogRejected(logger, operation, auth.ReasonCode!);
            Record(operation, null, null, 401, auth.ReasonCode!);
            return TypedResults.Json(GatewayError.Body(auth.ReasonCode!, auth.Description!), statusCode: 401);
        }

        var call = new MdesCall(operation, auth.Requestor, body, options.Value.ResponseHost);
        http.Items[typeof(MdesCall)] = call;
        var fault = current.For(operation);
        if (fault.LatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(fault.LatencyMs), time, http.RequestAborted);
        }

        object? result = FaultState.Roll(fault.ErrorRate) ? call.Fail(MdesError.InternalFailure) : await next(context);
        Record(operation, call, auth.Requestor.LogId, call.HttpStatus, call.Result);
        LogHandled(logger, operation, call.HttpStatus, call.Result);
        return result;
    }

    private void Record(string operation, MdesCall? call, string? requestorId, int status, string result) =>
        requestLog.Entries.Add(new RequestLogEntry(
            time.GetUtcNow(), operation, requestorId, call?.TokenRequestorId, call?.RequestId,
            call is null ? [] : [.. call.TokenUniqueReferences], status, result));

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "MDES {Operation} rejected by gateway: {ReasonCode}")]
    private static partial void LogRejected(ILogger logger, string operation, string reasonCode);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "MDES {Operation} answered {HttpStatus} {Result}")]
    private static partial void LogHandled(ILogger logger, string operation, int httpStatus, string result);
}
