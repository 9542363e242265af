using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ObotrGateway.Api.Hosting;

/// <summary>
/// OpenTelemetry traces and metrics: incoming ASP.NET Core requests, outgoing HttpClient calls (MDES, acquirer,
/// webhooks — W3C traceparent is sent on each), Npgsql, Redis and MassTransit, plus the .NET runtime. OTLP
/// export when the standard OTEL_EXPORTER_OTLP_ENDPOINT is set (the exporter reads the other OTEL_* settings
/// itself); a Prometheus scrape endpoint on its own port. Nothing here adds an attribute: the instrumentations'
/// defaults carry no request bodies, query strings are redacted, Redis spans carry the command name only and
/// SQL is parameterised, so no PAN, token number, TUR or key reaches a span or a label.
/// </summary>
internal static class Telemetry
{
    public const string ServiceName = "obotr-gateway";

    /// <summary>The gateway's own instruments (docs/operations.md, "Metric catalogue"); each feature declares its own in its folder.</summary>
    public const string MeterName = "ObotrGateway";

    // MassTransit 8 publishes its ActivitySource and Meter under this name.
    private const string MassTransitSource = "MassTransit";

    // Static so the feature call sites stay single lines without new constructor parameters; the SDK listens by name.
    public static readonly Meter Meter = new(MeterName);

    /// <summary>A duration histogram in seconds with buckets from 1 ms to <paramref name="upTo"/> seconds.</summary>
    public static Histogram<double> SecondsHistogram(string name, string description, double upTo = 60) =>
        Meter.CreateHistogram(name, "s", description, tags: null, new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [.. SecondBuckets.Where(bound => bound <= upTo)],
        });

    private static readonly double[] SecondBuckets =
        [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    public static void AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<TelemetryOptions>(builder.Configuration, TelemetryOptions.Section);
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

        // Read here rather than from the bound options: whether the tracer exists is decided while services are registered.
        var tracingOn = builder.Configuration.GetValue($"{TelemetryOptions.Section}:{nameof(TelemetryOptions.Tracing)}", true);
        var openTelemetry = builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(ServiceName));
        if (tracingOn)
        {
            openTelemetry.WithTracing(tracing =>
            {
                tracing
                    .SetSampler(provider => new ParentBasedSampler(
                        new TraceIdRatioBasedSampler(provider.GetRequiredService<IOptions<TelemetryOptions>>().Value.TraceSampleRatio)))
                    .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsProbeOrScrape(context))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddRedisInstrumentation(redis =>
                    {
                        redis.SetVerboseDatabaseStatements = false;
                        // Three span events per command (enqueued, sent, answered) that the span's own duration already
                        // bounds: the drain thread was 7 % of the pay path's CPU with them (docs/benchmarks.md).
                        redis.EnrichActivityWithTimingEvents = false;
                    })
                    .AddSource(MassTransitSource);
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        }

        openTelemetry.WithMetrics(metrics =>
        {
            metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(MassTransitSource)
                .AddMeter(MeterName)
                .AddPrometheusExporter();
            if (otlp)
            {
                metrics.AddOtlpExporter();
            }
        });

        builder.Services.AddHostedService<Notifications.NtuInboxBacklogGauge>();

        // First in the pipeline, ahead of authentication: the scrape is answered only on its own local port.
        builder.Services.AddTransient<IStartupFilter, PrometheusEndpointFilter>();
    }

    private static bool IsProbeOrScrape(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || IsScrape(context, context.RequestServices.GetRequiredService<IOptions<TelemetryOptions>>().Value);

    private static bool IsScrape(HttpContext context, TelemetryOptions options) =>
        options.PrometheusPort != 0
        && context.Connection.LocalPort == options.PrometheusPort
        && context.Request.Path.Equals(options.PrometheusPath, StringComparison.OrdinalIgnoreCase);

    private sealed class PrometheusEndpointFilter(IOptions<TelemetryOptions> options) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            var settings = options.Value;
            if (settings.PrometheusPort != 0)
            {
                app.UseOpenTelemetryPrometheusScrapingEndpoint(context => IsScrape(context, settings));
            }

            next(app);
        };
    }
}
