using System.Collections.Concurrent;

namespace ObotrGateway.MdesSimulator.Security;

/// <summary>
/// Nonces seen inside the timestamp window. A nonce older than the window cannot be replayed anyway (its timestamp
/// is rejected first), so entries are purged once outside it; the cap keeps memory bounded under a nonce flood.
/// </summary>
internal sealed class NonceCache
{
    public const int Capacity = 200_000;

    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly Lock _purgeLock = new();

    public bool TryUse(string consumerKey, string nonce, long timestamp, long now, long windowSeconds)
    {
        if (_seen.Count >= Capacity)
        {
            Purge(now, windowSeconds);
        }

        return _seen.TryAdd(consumerKey + "\n" + nonce, timestamp);
    }

    private void Purge(long now, long windowSeconds)
    {
        lock (_purgeLock)
        {
            foreach (var (key, ts) in _seen)
            {
                if (now - ts > windowSeconds)
                {
                    _seen.TryRemove(key, out _);
                }
            }

            // Still full of in-window nonces: refusing every request would be worse than forgetting the oldest.
            if (_seen.Count >= Capacity)
            {
                foreach (var key in _seen.OrderBy(p => p.Value).Take(Capacity / 10).Select(p => p.Key).ToList())
                {
                    _seen.TryRemove(key, out _);
                }
            }
        }
    }
}
