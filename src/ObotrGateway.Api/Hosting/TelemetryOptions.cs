using System.ComponentModel.DataAnnotations;

namespace ObotrGateway.Api.Hosting;

/// <summary>The <c>Telemetry</c> section (docs/operations.md, "Metrics and traces").</summary>
internal sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>
    /// Local port the Prometheus scrape endpoint answers on; 0 turns it off. The gateway listens on it only when
    /// it is among the listen addresses (ASPNETCORE_URLS); requests arriving on any other port (the merchant
    /// listener) never reach it, whatever their Host header says.
    /// </summary>
    [Range(0, 65535)]
    public int PrometheusPort { get; set; } = 9464;

    /// <summary>Path of the scrape endpoint on <see cref="PrometheusPort"/>.</summary>
    [RegularExpression("^/[A-Za-z0-9/_-]*$", ErrorMessage = "Telemetry:PrometheusPath must be an absolute path.")]
    public string PrometheusPath { get; set; } = "/metrics";

    /// <summary>
    /// Share of new traces recorded (parent-based: a caller's sampled flag in traceparent wins, so a trace is
    /// never cut in half). 1 records everything, at 5–8 % more CPU per payment and NTU than none (ADR 1207).
    /// </summary>
    [Range(0.0, 1.0)]
    public double TraceSampleRatio { get; set; } = 0.1;

    /// <summary>
    /// False registers no tracing at all (no instrumentation, no Redis command profiler); metrics stay. For measuring
    /// what tracing costs (docs/benchmarks.md) and for deployments that collect no traces.
    /// </summary>
    public bool Tracing { get; set; } = true;
}
