namespace ObotrGateway.Api.Hosting;

/// <summary>
/// Outside Development, the gateway talks to MDES and the acquirer over https only: those requests carry OAuth
/// signatures, encrypted card data and, to the acquirer, token numbers, cryptograms and (fallback) PANs in clear
/// JSON. The simulator used by run.sh, compose and the tests is plain http; those runs are Development or say
/// so explicitly with the section's <c>AllowHttp</c> (ADR 0709).
/// </summary>
internal static class UpstreamTransport
{
    /// <summary>A boot failure naming the setting when <paramref name="url"/> is http where it may not be; otherwise null.</summary>
    public static string? HttpsViolation(IHostEnvironment? environment, Uri url, bool allowHttp, string setting, string allowSetting)
    {
        // No environment: a bare service collection in a unit test, not a host that could serve traffic.
        if (url.Scheme == Uri.UriSchemeHttps || allowHttp || environment is null || environment.IsDevelopment())
        {
            return null;
        }

        return $"{setting} must be an https URL outside Development (environment '{environment.EnvironmentName}'); "
            + $"plain http is accepted only in Development or with {allowSetting}=true, for a local simulator.";
    }
}
