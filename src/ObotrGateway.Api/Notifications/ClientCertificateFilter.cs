using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.Notifications;

/// <summary>
/// Authentication of MDES callbacks. With <c>Notifications:RequireClientCertificate</c> (required outside Development, see
/// <see cref="NotificationOptionsValidator"/>) an NTU must arrive over TLS with a client certificate pinned by thumbprint
/// or subject; anything else is 401 before the body is read. An optional network allow-list is checked first (403).
/// The listener itself is an ordinary Kestrel endpoint with <c>ClientCertificateMode: RequireCertificate</c>
/// (docs/notifications.md); chain validation is replaced by the pin, as MDES's client certificate is exchanged
/// out of band rather than issued by a CA the host trusts.
/// </summary>
internal sealed partial class ClientCertificateFilter(IOptions<NotificationOptions> options, ILogger<ClientCertificateFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!IsCallerNetworkAllowed(options.Value, context.HttpContext.Connection.RemoteIpAddress))
        {
            LogRejected("caller_network_not_allowed");
            return Problems.Create(StatusCodes.Status403Forbidden, "ntu_caller_not_allowed",
                "MDES callbacks are accepted only from the configured networks.");
        }

        if (!options.Value.RequireClientCertificate)
        {
            return await next(context);
        }

        var certificate = await context.HttpContext.Connection.GetClientCertificateAsync(context.HttpContext.RequestAborted);
        if (certificate is null || !IsAllowed(options.Value, certificate))
        {
            LogRejected(certificate is null ? "no_client_certificate" : "certificate_not_allowed");
            return Problems.Create(StatusCodes.Status401Unauthorized, "ntu_client_certificate_required",
                "MDES callbacks need an allowed TLS client certificate.");
        }

        return await next(context);
    }

    /// <summary>The optional allow-list (Notifications:AllowedCallerNetworks, validated at boot); empty admits any address.</summary>
    public static bool IsCallerNetworkAllowed(NotificationOptions options, System.Net.IPAddress? address)
    {
        if (options.AllowedCallerNetworks.Count == 0)
        {
            return true;
        }

        // Compared as IPv4 when the socket reports an IPv4-mapped IPv6 address (dual-stack listeners).
        var caller = address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
        return caller is not null && options.AllowedCallerNetworks.Any(network => System.Net.IPNetwork.Parse(network).Contains(caller));
    }

    public static bool IsAllowed(NotificationOptions options, X509Certificate2 certificate) =>
        options.AllowedClientCertificateThumbprints.Any(thumbprint =>
            string.Equals(thumbprint.Replace(":", "", StringComparison.Ordinal), certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256),
                StringComparison.OrdinalIgnoreCase)
            || string.Equals(thumbprint.Replace(":", "", StringComparison.Ordinal), certificate.Thumbprint, StringComparison.OrdinalIgnoreCase))
        || options.AllowedClientCertificateSubjects.Any(subject => string.Equals(subject, certificate.Subject, StringComparison.Ordinal));

    [LoggerMessage(Level = LogLevel.Warning, Message = "NTU rejected on TLS client authentication: {Reason}")]
    private partial void LogRejected(string reason);
}

internal static class NotificationTls
{
    /// <summary>
    /// With RequireClientCertificate, every HTTPS endpoint that asks for a client certificate accepts only the
    /// pinned ones (the pin replaces chain trust); endpoints that do not ask are unaffected.
    /// </summary>
    public static void ConfigureNotificationTls(this WebApplicationBuilder builder) =>
        // Read from the host's final configuration (not builder.Configuration now): hosts and tests add sources later.
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var options = context.Configuration.GetSection(NotificationOptions.Section).Get<NotificationOptions>() ?? new NotificationOptions();
            if (options.RequireClientCertificate)
            {
                kestrel.ConfigureHttpsDefaults(https =>
                {
                    https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                    https.ClientCertificateValidation = (certificate, _, _) => ClientCertificateFilter.IsAllowed(options, certificate);
                });
            }
        });
}
