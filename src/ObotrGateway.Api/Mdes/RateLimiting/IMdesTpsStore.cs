namespace ObotrGateway.Api.Mdes.RateLimiting;

/// <summary>Outcome of one attempt to take a TPS slot.</summary>
/// <param name="Acquired">True when the call may go out now.</param>
/// <param name="RetryAfter">When not acquired: the soonest a slot can free up (no slot can free earlier).</param>
/// <param name="GrantedAt">When acquired: the grant time by the store's (Redis's) clock.</param>
internal readonly record struct TpsSlot(bool Acquired, TimeSpan RetryAfter, DateTimeOffset GrantedAt = default);

/// <summary>
/// One request for a slot of a TRID's cap (ADR 0103).
/// </summary>
/// <param name="Key">The TRID's slot set; its waiting-room key is derived from it.</param>
/// <param name="SlotId">Unique per attempt; <see cref="IMdesTpsStore.ReleaseAsync"/> names the slot by it.</param>
/// <param name="Limit">The cap: slots held at once, in flight or cooling down.</param>
/// <param name="Lease">How long a slot stays held if it is never released (its owner died): attempt timeout + window.</param>
/// <param name="Window">MDES's counting window (1 s): a released slot stays held this long after the release.</param>
/// <param name="Interactive">Interactive claims go first: batch claims leave as many free slots as interactive callers wait.</param>
/// <param name="WaitBudget">For an interactive claim that must wait: how long it will keep asking (its place in the waiting room).</param>
internal readonly record struct TpsClaim(string Key, string SlotId, int Limit, TimeSpan Lease, TimeSpan Window, bool Interactive, TimeSpan WaitBudget);

/// <summary>The shared store behind the per-TRID cap; one implementation, Redis, shared by every replica.</summary>
internal interface IMdesTpsStore
{
    Task<TpsSlot> TryAcquireAsync(TpsClaim claim, CancellationToken cancellationToken);

    /// <summary>The call was answered: its slot stays held for one window from now, then frees (never later than its lease).</summary>
    Task ReleaseAsync(string key, string slotId, TimeSpan window);
}
