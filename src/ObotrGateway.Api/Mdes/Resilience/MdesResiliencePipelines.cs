using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Mdes.Wire;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace ObotrGateway.Api.Mdes.Resilience;

/// <summary>
/// The one retry layer for MDES calls (ADR 0102). Singleton so the circuit breaker's state survives
/// HttpClientFactory's handler recycling. Outer: total timeout → retry → circuit breaker; the per-attempt
/// timeout is a separate pipeline so a TPS wait before a retry is not charged to the attempt.
/// </summary>
internal sealed class MdesResiliencePipelines
{
    public static readonly ResiliencePropertyKey<MdesOperation> OperationKey = new("Mdes.Operation");

    /// <summary>What is left of the attempt's TPS lease (ADR 0103); the attempt timeout never outlasts it.</summary>
    public static readonly ResiliencePropertyKey<TimeSpan> AttemptTimeoutKey = new("Mdes.AttemptTimeout");

    public MdesResiliencePipelines(IOptions<MdesOptions> options, TimeProvider timeProvider)
    {
        var settings = options.Value;
        Outer = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddTimeout(settings.TotalTimeout)
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(settings.MaxRetries, 1),
                Delay = settings.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ShouldRetryAsync(args.Context.Properties.GetValue(OperationKey, MdesOperation.Tokenize), args.Outcome, settings, timeProvider, settings.MaxRetries),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } response ? RetryAfter(response, timeProvider) : null),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = 0.5,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = settings.CircuitBreakDuration,
                ShouldHandle = args => IsMdesFailureAsync(args.Outcome),
            })
            .Build();
        Attempt = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddTimeout(new TimeoutStrategyOptions
            {
                TimeoutGenerator = args => ValueTask.FromResult(args.Context.Properties.GetValue(AttemptTimeoutKey, settings.AttemptTimeout)),
            })
            .Build();
    }

    public ResiliencePipeline<HttpResponseMessage> Outer { get; }

    public ResiliencePipeline<HttpResponseMessage> Attempt { get; }

    /// <summary>
    /// Only a refused or failed connect proves MDES never saw the request; a timeout or broken connection
    /// after sending does not (the request may be mid-flight at MDES).
    /// </summary>
    public static bool NeverReachedServer(Exception exception) => exception is HttpRequestException request &&
        (request.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError
         || request.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable });

    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider timeProvider)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static async ValueTask<bool> ShouldRetryAsync(
        MdesOperation operation, Outcome<HttpResponseMessage> outcome, MdesOptions settings, TimeProvider timeProvider, int maxRetries)
    {
        if (maxRetries == 0)
        {
            return false;
        }

        if (outcome.Exception is { } exception)
        {
            return NeverReachedServer(exception)
                || (operation.IsIdempotentRead() && exception is HttpRequestException or TimeoutRejectedException);
        }

        if (!operation.IsIdempotentRead() || outcome.Result is not { } response)
        {
            return false;
        }

        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable =>
                RetryAfter(response, timeProvider) is not { } wait || wait <= settings.MaxRetryAfter,
            HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout or HttpStatusCode.RequestTimeout => true,
            HttpStatusCode.InternalServerError => !await IsDefinitiveErrorAsync(response),
            _ => false,
        };
    }

    private static async ValueTask<bool> IsMdesFailureAsync(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Exception is { } exception)
        {
            return exception is HttpRequestException or TimeoutRejectedException;
        }

        var status = (int)outcome.Result!.StatusCode;
        return status >= 500 && !await IsDefinitiveErrorAsync(outcome.Result);
    }

    // Spec 1.3.0 returns application errors (unknown TUR, bad field) as HTTP 500 with an error body; those are
    // answers, not outages: retrying cannot help unless MDES marks them recoverable.
    private static async ValueTask<bool> IsDefinitiveErrorAsync(HttpResponseMessage response)
    {
        await response.Content.LoadIntoBufferAsync();
        var body = await response.Content.ReadAsByteArrayAsync();
        return MdesErrorParser.TryParse(body, out var errors, out _) && !errors.Any(e => e.Recoverable);
    }
}
