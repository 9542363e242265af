using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ObotrGateway.Api.Idempotency;

/// <summary>
/// The innermost handler of the MDES and acquirer HTTP clients: once a request is about to go on the wire, the
/// merchant request that caused it has started executing, and whatever it answers (even a 4xx) is stored under its
/// Idempotency-Key (<see cref="IdempotentRequests.IsStored"/>). Innermost, so a call refused by the TPS cap or the
/// circuit breaker before it was sent does not count. Outside a merchant request (consumers, jobs) it does nothing.
/// </summary>
internal sealed class ExecutionStartedMarker(IHttpContextAccessor httpContext) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        httpContext.HttpContext?.Items.TryAdd(IdempotentRequests.ExecutionStartedKey, true);
        return base.SendAsync(request, cancellationToken);
    }
}

internal static class ExecutionStartedMarkerRegistration
{
    /// <summary>Adds <see cref="ExecutionStartedMarker"/> as the innermost handler of an outbound client.</summary>
    public static IHttpClientBuilder MarksExecutionStarted(this IHttpClientBuilder client)
    {
        client.Services.AddHttpContextAccessor();
        client.Services.TryAddTransient<ExecutionStartedMarker>();
        return client.AddHttpMessageHandler<ExecutionStartedMarker>();
    }
}
