using Microsoft.Extensions.Options;

namespace ObotrGateway.Api.Notifications;

/// <summary>
/// Outside Development the NTU callback must be protected by mutual TLS with a pinned client certificate: the payload is
/// encrypted to the gateway's public certificate, so encryption alone lets anyone who has that certificate write NTUs.
/// Boot fails, naming the setting, unless the operator opts out explicitly (<see cref="NotificationOptions.AllowUnauthenticatedCallbacks"/>).
/// </summary>
internal sealed class NotificationOptionsValidator(IHostEnvironment environment) : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var failures = new List<string>();
        if (!environment.IsDevelopment() && !options.RequireClientCertificate && !options.AllowUnauthenticatedCallbacks)
        {
            failures.Add($"Notifications:RequireClientCertificate must be true outside Development (environment '{environment.EnvironmentName}'): "
                + "without mutual TLS anyone holding the gateway's public encryption certificate can send NTUs that suspend or delete tokens. "
                + "Pin MDES's client certificate (Notifications:AllowedClientCertificateThumbprints or Notifications:AllowedClientCertificateSubjects) "
                + "on an HTTPS endpoint with ClientCertificateMode RequireCertificate, or set Notifications:AllowUnauthenticatedCallbacks=true "
                + "to accept that risk (docs/notifications.md).");
        }

        if (options.RequireClientCertificate && options.AllowedClientCertificateThumbprints.Count == 0 && options.AllowedClientCertificateSubjects.Count == 0)
        {
            failures.Add("Notifications:RequireClientCertificate is on but no certificate is pinned: set Notifications:AllowedClientCertificateThumbprints "
                + "or Notifications:AllowedClientCertificateSubjects.");
        }

        for (var i = 0; i < options.AllowedCallerNetworks.Count; i++)
        {
            if (!System.Net.IPNetwork.TryParse(options.AllowedCallerNetworks[i], out _))
            {
                failures.Add($"Notifications:AllowedCallerNetworks:{i} is not a network in CIDR notation (e.g. 203.0.113.0/24).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Says at every start, outside Development, that the callback runs without mutual TLS because the operator opted out.</summary>
internal sealed partial class UnprotectedCallbackWarning(IHostEnvironment environment, IOptions<NotificationOptions> options,
    ILogger<UnprotectedCallbackWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!environment.IsDevelopment() && !options.Value.RequireClientCertificate)
        {
            LogUnprotected(environment.EnvironmentName);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "MDES callbacks are NOT authenticated (Notifications:AllowUnauthenticatedCallbacks in "
        + "environment {Environment}): anyone holding the gateway's public encryption certificate can send NTUs. "
        + "Set Notifications:RequireClientCertificate with a pinned certificate.")]
    private partial void LogUnprotected(string environment);
}
