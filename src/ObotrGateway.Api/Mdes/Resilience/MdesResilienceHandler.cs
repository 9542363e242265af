using ObotrGateway.Api.Mdes.RateLimiting;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ObotrGateway.Api.Mdes.Resilience;

/// <summary>
/// Takes a TPS slot for every attempt, runs it through the shared pipelines and turns transport failures
/// into <see cref="MdesUnavailableException"/> carrying whether the outcome is unknown.
/// </summary>
internal sealed partial class MdesResilienceHandler(
    MdesResiliencePipelines pipelines,
    MdesTpsLimiter limiter,
    ILogger<MdesResilienceHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(MdesRequestOptions.Operation, out var operation) ||
            !request.Options.TryGetValue(MdesRequestOptions.Call, out var call))
        {
            throw new InvalidOperationException("MDES requests must be sent through MdesClient.");
        }

        // The first slot is taken outside the total timeout: a batch caller may legitimately wait long for it.
        await limiter.AcquireAsync(call.TokenRequestorId, call.Priority, operation, cancellationToken);

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(MdesResiliencePipelines.OperationKey, operation);
        var attempts = 0;
        try
        {
            return await pipelines.Outer.ExecuteAsync(
                async ctx =>
                {
                    if (attempts++ > 0)
                    {
                        LogRetry(logger, operation, attempts);
                        await limiter.AcquireAsync(call.TokenRequestorId, call.Priority, operation, ctx.CancellationToken);
                    }

                    return await pipelines.Attempt.ExecuteAsync(
                        async token => await SendOnceAsync(request, token),
                        ctx.CancellationToken);
                },
                context);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Map(ex, operation) is { } mapped)
        {
            LogUnavailable(logger, operation, mapped.Reason, mapped.OutcomeUnknown);
            throw mapped;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    private static MdesUnavailableException? Map(Exception exception, MdesOperation operation)
    {
        var write = !operation.IsIdempotentRead();
        return exception switch
        {
            TimeoutRejectedException => new MdesUnavailableException(operation, MdesUnavailableReason.Timeout, outcomeUnknown: write, innerException: exception),
            BrokenCircuitException broken => new MdesUnavailableException(operation, MdesUnavailableReason.CircuitOpen, outcomeUnknown: false, broken.RetryAfter, innerException: exception),
            HttpRequestException when MdesResiliencePipelines.NeverReachedServer(exception) =>
                new MdesUnavailableException(operation, MdesUnavailableReason.ConnectionFailed, outcomeUnknown: false, innerException: exception),
            HttpRequestException => new MdesUnavailableException(operation, MdesUnavailableReason.TransportError, outcomeUnknown: write, innerException: exception),
            _ => null,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrying MDES {Operation}, attempt {Attempt}")]
    private static partial void LogRetry(ILogger logger, MdesOperation operation, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MDES {Operation} unavailable: {Reason}, outcome unknown: {OutcomeUnknown}")]
    private static partial void LogUnavailable(ILogger logger, MdesOperation operation, MdesUnavailableReason reason, bool outcomeUnknown);
}
