namespace ObotrGateway.MdesSimulator.Faults;

/// <summary>
/// MDES's per-TRID cap, counted where MDES counts it: at arrival. Each call is stamped inside the lock, so the
/// stamps handed out are in order and the same instant decides admission and goes into the request log. A call is
/// admitted when fewer than <c>limit</c> admitted calls of its TRID arrived in the second before it, which makes
/// every one-second window of admitted arrivals hold at most <c>limit</c>. Refused calls do not count.
/// </summary>
internal sealed class TridTpsGate(TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _admitted = new(StringComparer.Ordinal);

    /// <summary>Stamps the arrival; false when it would be one call too many for the TRID (0 = no cap).</summary>
    public bool TryEnter(string? tokenRequestorId, int limit, out DateTimeOffset arrivedAt)
    {
        lock (_lock)
        {
            arrivedAt = time.GetUtcNow();
            if (limit <= 0)
            {
                return true;
            }

            var key = tokenRequestorId ?? "";
            if (!_admitted.TryGetValue(key, out var stamps))
            {
                _admitted[key] = stamps = new Queue<DateTimeOffset>();
            }

            while (stamps.Count > 0 && arrivedAt - stamps.Peek() >= Window)
            {
                stamps.Dequeue();
            }

            if (stamps.Count >= limit)
            {
                return false;
            }

            stamps.Enqueue(arrivedAt);
            // Bounded: TRIDs that went quiet are dropped once their window is over.
            var now = arrivedAt;
            if (_admitted.Count > 1_000)
            {
                foreach (var trid in _admitted.Where(p => now - p.Value.Last() >= Window).Select(p => p.Key).ToList())
                {
                    _admitted.Remove(trid);
                }
            }

            return true;
        }
    }
}
