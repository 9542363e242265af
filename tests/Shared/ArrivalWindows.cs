namespace ObotrGateway.Testing;

/// <summary>
/// How MDES judges the TPS cap: the most calls whose arrival instants fall inside any one window [t, t + 1 s),
/// sliding over every arrival. One definition for the tests and the benchmarks (linked into both projects).
/// </summary>
internal static class ArrivalWindows
{
    public static int MaxInAnySecond(IEnumerable<DateTimeOffset> arrivals) =>
        MaxInAnySecond(arrivals.Select(arrival => arrival - DateTimeOffset.UnixEpoch));

    public static int MaxInAnySecond(IEnumerable<TimeSpan> arrivals)
    {
        var sorted = arrivals.Order().ToList();
        var max = 0;
        var end = 0;
        for (var start = 0; start < sorted.Count; start++)
        {
            while (end < sorted.Count && sorted[end] - sorted[start] < TimeSpan.FromSeconds(1))
            {
                end++;
            }

            max = Math.Max(max, end - start);
        }

        return max;
    }
}
