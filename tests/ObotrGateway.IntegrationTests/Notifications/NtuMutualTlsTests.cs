using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Notifications;

/// <summary>With RequireClientCertificate, only a pinned TLS client certificate may deliver NTUs.</summary>
[Collection(NotificationsTestGroup.Name)]
public sealed class NtuMutualTlsTests(GatewayFixture fixture)
{
    private static X509Certificate2 SelfSigned(string subject, string usageOid)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usageOid)], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    [Fact]
    public async Task Ntu_listener_with_mutual_tls_accepts_only_the_pinned_client_certificate()
    {
        using var server = SelfSigned("CN=gateway.test", "1.3.6.1.5.5.7.3.1");
        using var mdes = SelfSigned("CN=mdes.test", "1.3.6.1.5.5.7.3.2");
        using var stranger = SelfSigned("CN=stranger.test", "1.3.6.1.5.5.7.3.2");
        var settings = fixture.Settings();
        settings["Notifications:RequireClientCertificate"] = "true";
        settings["Notifications:AllowedClientCertificateThumbprints:0"] = mdes.GetCertHashString(HashAlgorithmName.SHA256);
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var factory = new GatewayFactory(settings, fixture.Logs);
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, port, endpoint =>
            endpoint.UseHttps(server, https => https.ClientCertificateMode = ClientCertificateMode.AllowCertificate)));
        factory.StartServer();

        HttpClient Client(X509Certificate2? clientCertificate)
        {
            var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == server.Thumbprint };
            if (clientCertificate is not null)
            {
                handler.ClientCertificates.Add(clientCertificate);
            }

            return new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}/") };
        }

        using var sender = new NtuSender(fixture);
        var tur = NtuSender.NewTur();
        var body = sender.Body("mtls-" + tur[^8..], NtuSender.Update(tur, "50123456789", "ACTIVE", DateTimeOffset.UtcNow));

        using (var none = Client(null))
        {
            (await none.PostAsJsonAsync(NtuSender.Route, body)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using (var other = Client(stranger))
        {
            // Refused at the handshake (the pin replaces chain trust) or by the filter: never stored.
            try
            {
                (await other.PostAsJsonAsync(NtuSender.Route, body)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            }
            catch (HttpRequestException)
            {
            }
        }

        (await fixture.ScalarAsync("SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = $1", tur)).ShouldBe(0);
        using var pinned = Client(mdes);
        (await pinned.PostAsJsonAsync(NtuSender.Route, body)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await fixture.ScalarAsync("SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = $1", tur)).ShouldBe(1);
    }
}
