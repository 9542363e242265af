using System.Net;
using System.Net.Http.Headers;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Throttling;

/// <summary>
/// Which address the failed-authentication throttle counts, on real Kestrel sockets from 127.0.0.1: a gateway that
/// trusts 127.0.0.1 as its proxy (Network:TrustedProxies), or one with the default (nothing trusted). Each test boots
/// its own with its own Redis prefix, so counts never mix.
/// </summary>
[Collection(GatewayTestGroup.Name)]
public sealed class ForwardedAddressTests(GatewayFixture fixture) : IAsyncLifetime
{
    private const int FailedLimit = 2;
    private readonly List<(GatewayFactory Factory, Uri Address)> _gateways = [];

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>A gateway of its own (own Redis prefix), trusting <paramref name="trustedProxy"/> or, when null, no proxy.</summary>
    private Uri Start(string? trustedProxy)
    {
        var prefix = fixture.RunId + "-fwd-" + Guid.NewGuid().ToString("N")[..6];
        var settings = fixture.Settings();
        settings["Messaging:QueuePrefix"] = prefix;
        settings["Redis:KeyPrefix"] = prefix + ":";
        settings["Throttling:FailedAuthenticationLimit"] = FailedLimit.ToString();
        settings["Throttling:FailedAuthenticationWindow"] = "00:01:00";
        if (trustedProxy is not null)
        {
            settings["Network:TrustedProxies:0"] = trustedProxy;
        }

        var factory = new GatewayFactory(settings, fixture.Logs);
        var port = GatewayFixture.FreePort();
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        var address = new Uri($"http://127.0.0.1:{port}/");
        _gateways.Add((factory, address));
        return address;
    }

    public async Task DisposeAsync()
    {
        foreach (var (factory, _) in _gateways)
        {
            await factory.DisposeAsync();
        }
    }

    /// <summary>One request with a wrong merchant key, as if forwarded for <paramref name="client"/>.</summary>
    private static async Task<HttpStatusCode> WrongKeyAsync(Uri gateway, string client)
    {
        using var http = new HttpClient { BaseAddress = gateway };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/merchant");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "ok_live_" + new string('x', 40));
        request.Headers.Add("X-Forwarded-For", client);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Forwarded_address_from_a_trusted_proxy_is_the_client_address_the_throttle_counts()
    {
        var gateway = Start("127.0.0.1");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= FailedLimit; i++)
        {
            statuses.Add(await WrongKeyAsync(gateway, "203.0.113.7"));
        }

        // Another client behind the same proxy has its own count; an entry before the client's (written by the client
        // itself, to the left of what the proxy appended) changes nothing.
        var otherClient = await WrongKeyAsync(gateway, "203.0.113.8");
        var spoofedPrefix = await WrongKeyAsync(gateway, "198.51.100.1, 203.0.113.7");

        statuses.ShouldBe([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, FailedLimit), HttpStatusCode.TooManyRequests]);
        otherClient.ShouldBe(HttpStatusCode.Unauthorized);
        spoofedPrefix.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Forwarded_address_from_an_untrusted_peer_is_ignored_by_default()
    {
        var gateway = Start(null);
        // A caller that writes a fresh X-Forwarded-For each time still counts as its own socket address.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= FailedLimit; i++)
        {
            statuses.Add(await WrongKeyAsync(gateway, $"203.0.113.{10 + i}"));
        }

        statuses.ShouldBe([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, FailedLimit), HttpStatusCode.TooManyRequests]);
    }
}
