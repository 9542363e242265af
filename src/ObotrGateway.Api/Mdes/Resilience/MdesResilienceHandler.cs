using ObotrGateway.Api.Mdes.RateLimiting;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ObotrGateway.Api.Mdes.Resilience;

/// <summary>
/// Takes a TPS slot for every attempt (each attempt is an arrival at MDES), releases it when MDES answered, runs
/// the attempts through the shared pipelines and turns transport failures
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
        MdesTpsLease? lease = await limiter.AcquireAsync(call.TokenRequestorId, call.Priority, operation, cancellationToken);

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
                        lease = await limiter.AcquireAsync(call.TokenRequestorId, call.Priority, operation, ctx.CancellationToken);
                    }

                    return await SendUnderLeaseAsync(request, lease!, ctx.CancellationToken);
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

    /// <summary>
    /// One attempt, timed out at the lease's deadline (counted from before the slot was asked for, so it ends before
    /// the slot's lease in Redis does). Only an answer releases the slot early (ADR 0103): it proves the request
    /// arrived; after a timeout or a broken connection the request may still be at MDES, so the slot keeps its lease.
    /// </summary>
    private async Task<HttpResponseMessage> SendUnderLeaseAsync(HttpRequestMessage request, MdesTpsLease lease, CancellationToken cancellationToken)
    {
        var attempt = ResilienceContextPool.Shared.Get(cancellationToken);
        attempt.Properties.Set(MdesResiliencePipelines.AttemptTimeoutKey, limiter.Remaining(lease));
        try
        {
            var response = await pipelines.Attempt.ExecuteAsync(
                async ctx => await base.SendAsync(request, ctx.CancellationToken),
                attempt);
            await limiter.ReleaseAsync(lease);
            return response;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(attempt);
        }
    }

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
