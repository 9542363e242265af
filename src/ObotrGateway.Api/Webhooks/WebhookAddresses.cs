using System.Net;
using System.Net.Sockets;

namespace ObotrGateway.Api.Webhooks;

/// <summary>
/// Where merchant webhooks may go: public unicast addresses only. A webhook URL is chosen by the merchant, so
/// without this the gateway would POST (from inside our network) to cloud metadata (169.254.169.254), the
/// database, the broker or any other internal service a merchant names (SSRF). Registration refuses what it can
/// see in the URL (<see cref="IsBlockedHost"/>); the protection that counts is <see cref="ConnectAsync"/>, which
/// checks the addresses DNS gives at the moment of connecting and connects to exactly those (ADR 0406).
/// </summary>
internal static class WebhookAddresses
{
    // IANA IPv4 Special-Purpose Address Registry: everything not globally reachable, plus multicast and reserved.
    private static readonly IPNetwork[] BlockedIPv4 =
    [
        IPNetwork.Parse("0.0.0.0/8"),       // "this network"; 0.0.0.0 reaches the local host on Linux
        IPNetwork.Parse("10.0.0.0/8"),      // private
        IPNetwork.Parse("100.64.0.0/10"),   // carrier-grade NAT (shared address space)
        IPNetwork.Parse("127.0.0.0/8"),     // loopback
        IPNetwork.Parse("169.254.0.0/16"),  // link-local, cloud metadata endpoints
        IPNetwork.Parse("172.16.0.0/12"),   // private
        IPNetwork.Parse("192.0.0.0/24"),    // IETF protocol assignments (DS-Lite, NAT64 discovery)
        IPNetwork.Parse("192.0.2.0/24"),    // documentation (TEST-NET-1)
        IPNetwork.Parse("192.88.99.0/24"),  // 6to4 relay anycast (deprecated)
        IPNetwork.Parse("192.168.0.0/16"),  // private
        IPNetwork.Parse("198.18.0.0/15"),   // benchmarking
        IPNetwork.Parse("198.51.100.0/24"), // documentation (TEST-NET-2)
        IPNetwork.Parse("203.0.113.0/24"),  // documentation (TEST-NET-3)
        IPNetwork.Parse("224.0.0.0/4"),     // multicast
        IPNetwork.Parse("240.0.0.0/4"),     // reserved, and 255.255.255.255 broadcast
    ];

    // IPv6 is an allow-list: global unicast (2000::/3) only, which already excludes ::, ::1, fc00::/7 (unique local),
    // fe80::/10 (link-local), fec0::/10, ff00::/8 (multicast), 100::/64 (discard) and 64:ff9b:1::/48 (local NAT64).
    private static readonly IPNetwork GlobalUnicastIPv6 = IPNetwork.Parse("2000::/3");

    private static readonly IPNetwork[] BlockedGlobalIPv6 =
    [
        IPNetwork.Parse("2001::/23"),       // IETF protocol assignments, Teredo (2001::/32) among them
        IPNetwork.Parse("2001:db8::/32"),   // documentation
        IPNetwork.Parse("2002::/16"),       // 6to4: tunnels to the IPv4 address inside it
        IPNetwork.Parse("3fff::/20"),       // documentation
        IPNetwork.Parse("5f00::/16"),       // SRv6 segment identifiers
    ];

    // NAT64 (RFC 6052 well-known prefix): the translator connects to the IPv4 address in the last 32 bits.
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    // Names that by standard only ever mean this host or a private network (RFC 6761, 6762, 8375; ICANN .internal).
    private static readonly string[] BlockedNameSuffixes = [".localhost", ".local", ".internal", ".home.arpa"];

    /// <summary>True for every address a webhook must not be sent to (anything not public unicast).</summary>
    public static bool IsBlocked(IPAddress address)
    {
        switch (address.AddressFamily)
        {
            case AddressFamily.InterNetwork:
                return BlockedIPv4.Any(network => network.Contains(address));
            case AddressFamily.InterNetworkV6:
                // A socket connects an IPv4-mapped address (::ffff:10.0.0.1) to the IPv4 address itself.
                if (address.IsIPv4MappedToIPv6)
                {
                    return IsBlocked(address.MapToIPv4());
                }

                if (Nat64.Contains(address))
                {
                    return IsBlocked(new IPAddress(address.GetAddressBytes().AsSpan(12)));
                }

                return !GlobalUnicastIPv6.Contains(address) || BlockedGlobalIPv6.Any(network => network.Contains(address));
            default:
                return true;
        }
    }

    /// <summary>
    /// What registration can tell from the URL alone: a literal address in a blocked range, or a name reserved for
    /// this host or a private network. Other names are checked when connecting (their DNS answer can change).
    /// </summary>
    public static bool IsBlockedHost(Uri url)
    {
        // DnsSafeHost is the address without brackets; TryParse also reads the shorthand forms (127.1, 0x7f.1,
        // 2130706433, a trailing dot) that resolvers accept as addresses, whether or not Uri took them for a name.
        if (IPAddress.TryParse(url.DnsSafeHost.TrimEnd('.'), out var address))
        {
            return IsBlocked(address);
        }

        if (url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            return true; // a literal we cannot read is not one we can vouch for
        }

        var name = url.IdnHost.TrimEnd('.').ToLowerInvariant();
        return name == "localhost" || BlockedNameSuffixes.Any(suffix => name.EndsWith(suffix, StringComparison.Ordinal));
    }

    /// <summary>
    /// The webhook client's <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host once, refuses the
    /// connection if any answer is blocked (unless <paramref name="allowPrivateNetworks"/>), and connects to those
    /// vetted addresses themselves, so a DNS answer that changes between check and connect (rebinding) cannot
    /// slip through. Used in every environment, so tests run the same connect code as production.
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        var host = endpoint.Host.TrimStart('[').TrimEnd(']');
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        // All or nothing: a name that answers with an internal address is hostile or misconfigured, even if it
        // also answers with a public one.
        if (!allowPrivateNetworks && addresses.Any(IsBlocked))
        {
            throw new WebhookAddressBlockedException();
        }

        SocketException? lastFailure = null;
        foreach (var address in addresses)
        {
            // Dual-mode like SocketsHttpHandler's own default, so IPv4 and IPv6 answers both connect.
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException exception)
            {
                socket.Dispose();
                lastFailure = exception;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw lastFailure!;
    }

    /// <summary>The primary handler of the webhook HttpClient.</summary>
    public static SocketsHttpHandler CreateHandler(WebhookOptions options)
    {
        var allowPrivateNetworks = options.AllowPrivateNetworks;
        return new SocketsHttpHandler
        {
            // A redirect would send the signed event to a host nobody vetted at registration; 3xx is a failed attempt.
            AllowAutoRedirect = false,
            // Through a proxy the callback would vet the proxy's address, not the merchant's: always connect directly.
            UseProxy = false,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivateNetworks, cancellationToken),
        };
    }
}

/// <summary>The webhook host resolved to an address webhooks may not go to; the attempt fails without connecting.</summary>
internal sealed class WebhookAddressBlockedException()
    : Exception("The webhook host resolves to a loopback, private, link-local or otherwise non-public address.");
