using System.Diagnostics;

namespace ObotrGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The one polling loop of the integration tests: read, check, wait a little, until the condition holds or the time is
/// up. Background work (activation NTUs, bulk workers, webhook deliveries, MDES retries) is observed only through it.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Reads until <paramref name="done"/> holds or <paramref name="timeout"/> has passed, and returns the last value read
    /// either way: the caller's own assertions then say what is wrong with it.
    /// </summary>
    public static async Task<T> LastAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, TimeSpan? interval = null)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value) || waited.Elapsed > timeout)
            {
                return value;
            }

            await Task.Delay(interval ?? DefaultInterval);
        }
    }

    /// <summary>Reads until <paramref name="done"/> holds and returns that value; a timeout fails with <paramref name="describe"/> of the last one.</summary>
    public static async Task<T> ReachesAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, Func<T, string> describe,
        TimeSpan? interval = null)
    {
        var last = await LastAsync(read, done, timeout, interval);
        return done(last) ? last : throw new TimeoutException(describe(last));
    }

    /// <summary>Checks until <paramref name="condition"/> holds; a timeout fails naming <paramref name="what"/> did not happen.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? interval = null) =>
        ReachesAsync(condition, held => held, timeout, _ => what, interval);

    /// <inheritdoc cref="TrueAsync(Func{Task{bool}}, TimeSpan, string, TimeSpan?)"/>
    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what, TimeSpan? interval = null) =>
        TrueAsync(() => Task.FromResult(condition()), timeout, what, interval);
}
