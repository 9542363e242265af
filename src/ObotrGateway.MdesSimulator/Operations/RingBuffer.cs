namespace ObotrGateway.MdesSimulator.Operations;

/// <summary>Keeps the last <c>capacity</c> items; thread-safe. Operations logs must never grow without bound.</summary>
internal sealed class RingBuffer<T>(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Queue<T> _items = new();

    public void Add(T item)
    {
        lock (_lock)
        {
            _items.Enqueue(item);
            while (_items.Count > capacity)
            {
                _items.Dequeue();
            }
        }
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_lock)
        {
            return [.. _items];
        }
    }
}
