using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace ObotrGateway.Api.Hosting;

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
