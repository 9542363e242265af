using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ObotrGateway.IntegrationTests.Infrastructure;

/// <summary>
/// Every span name, span attribute, span event and metric label value produced in this test process while the
/// fixture runs, kept as distinct strings so the card-data scan (<see cref="CardDataLeaks"/>) can look for PANs
/// and token numbers in what telemetry would export. In-process listeners see exactly what the OpenTelemetry
/// SDK sees (it listens to the same ActivitySources and Meters).
/// </summary>
internal sealed class CapturedTelemetry : IDisposable
{
    private readonly ConcurrentDictionary<string, byte> _texts = new(StringComparer.Ordinal);
    private readonly ActivityListener _spans;
    private readonly MeterListener _metrics = new();

    public CapturedTelemetry()
    {
        _spans = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(_spans);

        _metrics.InstrumentPublished = (instrument, listener) => listener.EnableMeasurementEvents(instrument);
        _metrics.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Record(instrument, tags));
        _metrics.SetMeasurementEventCallback<int>((instrument, _, tags, _) => Record(instrument, tags));
        _metrics.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument, tags));
        _metrics.Start();
    }

    public IEnumerable<string> Texts => _texts.Keys;

    public void Dispose()
    {
        _spans.Dispose();
        _metrics.Dispose();
    }

    private void Record(Activity activity)
    {
        Add($"span {activity.Source.Name}: {activity.DisplayName}");
        Add(activity.StatusDescription);
        foreach (var (key, value) in activity.TagObjects)
        {
            Add($"span {activity.DisplayName} {key}={value}");
        }

        foreach (var @event in activity.Events)
        {
            Add($"span {activity.DisplayName} event {@event.Name}");
            foreach (var (key, value) in @event.Tags)
            {
                Add($"span {activity.DisplayName} event {@event.Name} {key}={value}");
            }
        }
    }

    private void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var (key, value) in tags)
        {
            Add($"metric {instrument.Name} {key}={value}");
        }
    }

    private void Add(string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            _texts.TryAdd(text, 0);
        }
    }
}
