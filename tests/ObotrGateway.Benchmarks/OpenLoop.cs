using System.Diagnostics;
using System.Globalization;

namespace ObotrGateway.Benchmarks;

/// <summary>When one open-loop request was due: a <see cref="Stopwatch"/> timestamp and the same instant on the wall clock.</summary>
internal readonly record struct Due(long Timestamp, DateTime Utc);

/// <summary>The end-to-end commands' load shapes and latency arithmetic, shared so every command measures alike.</summary>
internal static class OpenLoop
{
    /// <summary>
    /// Open loop: request i is due at start + i / rate whatever happened to the earlier ones, and its latency is
    /// counted from when it was due (not from when it went out), so a stall shows up in the numbers instead of
    /// silently delaying the rest of the schedule (coordinated omission).
    /// </summary>
    public static async Task<T[]> DriveAsync<T>(int count, int rate, Func<int, Due, Task<T>> send)
    {
        var anchorWall = DateTime.UtcNow;
        var anchor = Stopwatch.GetTimestamp();
        var start = anchor + Stopwatch.Frequency / 10;
        var sends = new Task<T>[count];
        for (var i = 0; i < count; i++)
        {
            var due = start + (long)((double)i * Stopwatch.Frequency / rate);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            sends[i] = send(i, new Due(due, anchorWall + Stopwatch.GetElapsedTime(anchor, due)));
        }

        return await Task.WhenAll(sends);
    }

    /// <summary>
    /// Closed loop: <paramref name="concurrency"/> callers, each sending its next request as soon as the previous one
    /// answered, until <paramref name="duration"/> has passed. What it finds is the most the server completes.
    /// Returns every sample and the wall time the phase took (the last answers arrive after the deadline).
    /// </summary>
    public static async Task<(List<T> Samples, TimeSpan Elapsed)> ClosedAsync<T>(int concurrency, TimeSpan duration, Func<int, Due, Task<T>> send)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        var callers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var samples = new List<T>();
            while (clock.Elapsed < duration)
            {
                samples.Add(await send(Interlocked.Increment(ref next), new Due(Stopwatch.GetTimestamp(), DateTime.UtcNow)));
            }

            return samples;
        }).ToList();
        var all = await Task.WhenAll(callers);
        return ([.. all.SelectMany(s => s)], clock.Elapsed);
    }

    public static string Ms(List<double> sortedMs, double quantile) =>
        sortedMs.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{Percentile(sortedMs, quantile):F1}ms");

    /// <summary>Nearest rank on an ascending list.</summary>
    public static double Percentile(List<double> sortedMs, double quantile) =>
        sortedMs.Count == 0 ? double.NaN : sortedMs[Math.Clamp((int)Math.Ceiling(quantile * sortedMs.Count) - 1, 0, sortedMs.Count - 1)];
}
