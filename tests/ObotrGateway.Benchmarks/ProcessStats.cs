using System.Globalization;

namespace ObotrGateway.Benchmarks;

/// <summary>
/// A process's resident memory and CPU from /proc, so the end-to-end commands can charge CPU to one operation: robust
/// to other load on the machine in a way wall-clock throughput is not (another process's work is not in these ticks).
/// </summary>
internal static class ProcessStats
{
    public static string Memory(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status))
        {
            return "process not found";
        }

        var lines = File.ReadAllLines(status);
        string Field(string name) => lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?[(name.Length + 1)..].Trim() ?? "?";
        return $"VmRSS {Field("VmRSS")} (peak VmHWM {Field("VmHWM")})";
    }

    /// <summary>User + system CPU the process has used so far (/proc/PID/stat, clock ticks of 1/100 s); null when unreadable.</summary>
    public static TimeSpan? Cpu(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return null;
        }

        // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
        var fields = File.ReadAllText(stat).Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>CPU of the gateway and simulator over a phase, per operation; "not measured" without their pids.</summary>
    public static string PerOperation(TimeSpan? cpu, int operations) =>
        cpu is { } used && operations > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{used.TotalMilliseconds / operations:F2} ms")
            : "not measured";
}
