using System.ComponentModel.DataAnnotations;

namespace ObotrGateway.Api.GatewayTokens;

/// <summary>The <c>GatewayTokens</c> section.</summary>
internal sealed class GatewayTokenOptions
{
    public const string Section = "GatewayTokens";

    /// <summary>A row whose Tokenize timed out (outcome unknown) is reconciled after this wait.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "GatewayTokens:ReconcileAfter must be 1 s to 1 day.")]
    public TimeSpan ReconcileAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// An unmarked PENDING row this old belongs to a process that died mid-Tokenize. Must exceed the longest a live
    /// Tokenize can take (TPS wait + Mdes:TotalTimeout), or a slow live request could be reconciled under its feet.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00", ErrorMessage = "GatewayTokens:CrashCutoff must be 10 s to 7 days.")]
    public TimeSpan CrashCutoff { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "GatewayTokens:ReconcileInterval must be 100 ms to 1 h.")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);
}
