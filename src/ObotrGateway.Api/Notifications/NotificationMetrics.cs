using System.Diagnostics;
using System.Diagnostics.Metrics;
using Npgsql;
using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.Notifications;

/// <summary>NTU instruments (docs/operations.md, "Metric catalogue"). Labels are inbox states only: never a TUR.</summary>
internal static class NotificationMetrics
{
    private static readonly Counter<long> ReceivedCounter = Telemetry.Meter.CreateCounter<long>(
        "obotr.ntu.received", "{update}", "Token updates stored in the NTU inbox (a repeated requestId counts none).");

    private static readonly Counter<long> ProcessedCounter = Telemetry.Meter.CreateCounter<long>(
        "obotr.ntu.processed", "{update}", "Inbox rows processed, by the state they ended in (applied, unchanged, stale, rejected, waiting).");

    private static readonly Histogram<double> AckDuration = Telemetry.SecondsHistogram(
        "obotr.ntu.ack.duration", "Time from the NTU request's arrival to its acknowledgement (stored, not yet applied).", upTo: 10);

    private static readonly Histogram<double> ApplyLag = Telemetry.SecondsHistogram(
        "obotr.ntu.apply.lag", "Time from an update's receipt to its processing (applied, unchanged, stale or rejected).", upTo: 3600);

    public static void Acknowledged(int stored, long startedTimestamp)
    {
        ReceivedCounter.Add(stored);
        AckDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds);
    }

    /// <summary>A row left received: <paramref name="state"/> is where it went. Waiting rows have no lag yet.</summary>
    public static void Processed(string state, DateTimeOffset receivedAt, DateTimeOffset now)
    {
        ProcessedCounter.Add(1, new KeyValuePair<string, object?>("state", state));
        if (state != NtuInboxStates.Waiting)
        {
            ApplyLag.Record(Math.Max(0, (now - receivedAt).TotalSeconds));
        }
    }
}

/// <summary>
/// <c>obotr.ntu.inbox.backlog</c> and <c>obotr.ntu.inbox.oldest.age</c> by state (received, waiting): counted every
/// 15 s off the partial index on unprocessed rows, so a scrape never waits on the database. The gauges live on the
/// process-wide meter like every other instrument: one per process. Per-host meters gave one instrument of the same
/// name per host, and with several hosts in one process the exporter kept the first host's and dropped the rest.
/// </summary>
internal sealed partial class NtuInboxBacklogGauge(NpgsqlDataSource dataSource, TimeProvider clock,
    ILogger<NtuInboxBacklogGauge> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);
    private static readonly string[] States = [NtuInboxStates.Received, NtuInboxStates.Waiting];

    private static volatile IReadOnlyDictionary<string, (long Count, double OldestSeconds)>? _last;

    private static readonly ObservableGauge<long> Backlog = Telemetry.Meter.CreateObservableGauge("obotr.ntu.inbox.backlog",
        () => Observe(entry => entry.Count), "{update}",
        "NTU inbox rows not processed yet, by state (received: due for applying; waiting: for a token we do not know yet).");

    private static readonly ObservableGauge<double> OldestAge = Telemetry.Meter.CreateObservableGauge("obotr.ntu.inbox.oldest.age",
        () => Observe(entry => entry.OldestSeconds), "s", "Age of the oldest unprocessed NTU inbox row, by state (0 when there is none).");

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(Interval, clock, async cancellationToken => _last = await CountAsync(cancellationToken), exception =>
        {
            _last = null; // no number rather than an old one: a stale 0 would hide a growing backlog
            LogCountFailed(exception.GetType().Name);
        }, stoppingToken);

    private static IEnumerable<Measurement<T>> Observe<T>(Func<(long Count, double OldestSeconds), T> value)
        where T : struct =>
        _last is { } last
            ? last.Select(entry => new Measurement<T>(value(entry.Value), new KeyValuePair<string, object?>("state", entry.Key)))
            : [];

    private async Task<Dictionary<string, (long, double)>> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT state, count(*), min(received_at) FROM ntu_inbox WHERE state IN ('received', 'waiting') GROUP BY state");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = States.ToDictionary(state => state, _ => (0L, 0.0));
        var now = clock.GetUtcNow();
        while (await reader.ReadAsync(cancellationToken))
        {
            var oldest = reader.GetFieldValue<DateTimeOffset>(2);
            counts[reader.GetString(0)] = (reader.GetInt64(1), Math.Max(0, (now - oldest).TotalSeconds));
        }

        return counts;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "NTU inbox backlog not counted ({ExceptionType}); retrying in 15 s")]
    private partial void LogCountFailed(string exceptionType);
}
