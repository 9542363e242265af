namespace ObotrGateway.Api.Mdes.RateLimiting;

/// <summary>Outcome of one attempt to take a TPS slot.</summary>
/// <param name="Acquired">True when the call may go out now.</param>
/// <param name="RetryAfter">When not acquired: how long until the oldest slot in the window frees up.</param>
/// <param name="GrantedAt">When acquired: the grant time by the store's (Redis's) clock, the clock the cap is kept by.</param>
internal readonly record struct TpsSlot(bool Acquired, TimeSpan RetryAfter, DateTimeOffset GrantedAt = default);

/// <summary>The shared store behind the per-TRID cap; one implementation, Redis, shared by every replica.</summary>
internal interface IMdesTpsStore
{
    Task<TpsSlot> TryAcquireAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken);
}
