using System.ComponentModel.DataAnnotations;
using System.Net;
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
