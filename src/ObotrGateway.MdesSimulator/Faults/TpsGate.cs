namespace ObotrGateway.MdesSimulator.Faults;

/// <summary>Sliding one-second window counter: at most <c>limit</c> calls in any second (0 = unlimited).</summary>
internal sealed class TpsGate(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Queue<long> _stamps = new();

    public bool TryEnter(int limit)
    {
        if (limit <= 0)
        {
            return true;
        }

        var now = time.GetTimestamp();
        var windowStart = now - time.TimestampFrequency;
        lock (_lock)
        {
            while (_stamps.Count > 0 && _stamps.Peek() <= windowStart)
            {
                _stamps.Dequeue();
            }

            if (_stamps.Count >= limit)
            {
                return false;
            }

            _stamps.Enqueue(now);
            return true;
        }
    }
}
