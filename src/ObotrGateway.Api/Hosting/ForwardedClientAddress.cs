using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace ObotrGateway.Api.Hosting;

/// <summary>
/// The <c>Network</c> section: which peers are our own proxies (load balancer, ingress), whose <c>X-Forwarded-For</c> names
/// the real client. Empty by default: then the header is ignored and the client address is the TCP peer, since anyone
/// else can write X-Forwarded-For (and would reset their own failed-authentication count with it).
/// </summary>
internal sealed class NetworkOptions : IValidatableObject
{
    public const string Section = "Network";

    /// <summary>Single proxy addresses (IPv4 or IPv6).</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation (e.g. the load balancer's subnet, 10.0.0.0/24).</summary>
    public List<string> TrustedNetworks { get; set; } = [];

    public bool TrustsAnyProxy => TrustedProxies.Count > 0 || TrustedNetworks.Count > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < TrustedProxies.Count; i++)
        {
            if (!IPAddress.TryParse(TrustedProxies[i], out _))
            {
                yield return new ValidationResult($"Network:TrustedProxies:{i} must be an IP address.", [nameof(TrustedProxies)]);
            }
        }

        for (var i = 0; i < TrustedNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(TrustedNetworks[i], out _))
            {
                yield return new ValidationResult($"Network:TrustedNetworks:{i} must be a network in CIDR notation (10.0.0.0/24).",
                    [nameof(TrustedNetworks)]);
            }
        }
    }
}

internal static class ForwardedClientAddress
{
    public static IServiceCollection AddForwardedClientAddress(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<NetworkOptions>(configuration, NetworkOptions.Section);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<NetworkOptions>>((forwarded, network) =>
        {
            // The client address only: the scheme and host stay what the gateway itself saw.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            // ASP.NET Core trusts loopback by default; only what the settings name is trusted here.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in network.Value.TrustedProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var cidr in network.Value.TrustedNetworks)
            {
                forwarded.KnownIPNetworks.Add(IPNetwork.Parse(cidr));
            }

            // Walk back through X-Forwarded-For while each hop is a trusted proxy (an ingress behind a load balancer is
            // two), stopping at the first address that is not: that one is the client, whatever it wrote before it.
            forwarded.ForwardLimit = null;
        });
        return services;
    }

    /// <summary>
    /// First in the pipeline, so every later part (the failed-authentication throttle, the NTU caller networks, logs)
    /// sees the client's address. Not added at all without trusted proxies: the middleware with empty lists would
    /// trust every peer's X-Forwarded-For.
    /// </summary>
    public static IApplicationBuilder UseForwardedClientAddress(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IOptions<NetworkOptions>>().Value.TrustsAnyProxy ? app.UseForwardedHeaders() : app;
}
