using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.Encryption;
using ObotrGateway.Api.Mdes.OAuth;
using ObotrGateway.Api.Mdes.Wire;
using StackExchange.Redis;

namespace ObotrGateway.IntegrationTests.Mdes;

/// <summary>
/// AddMdes as the gateway wires it — key files on disk, real sockets, real Redis — against a minimal
/// in-process stand-in for MDES that checks what the real one checks (body hash, signature, decryptability).
/// The full simulator has its own issue; this keeps the wire layer honest until it lands.
/// </summary>
public sealed class MdesEndToEndTests(RedisFixture redis) : IClassFixture<RedisFixture>, IDisposable
{
    private const string Trid = "50123456789";
    private readonly string _dir = Directory.CreateTempSubdirectory("mdes-it-").FullName;
    private readonly (X509Certificate2 Cert, RSA Key) _signing = SelfSigned("CN=signing");
    private readonly (X509Certificate2 Cert, RSA Key) _mdes = SelfSigned("CN=mdes");
    private readonly (X509Certificate2 Cert, RSA Key) _ours = SelfSigned("CN=ours");

    [Fact]
    public async Task AddMdes_tokenizeAndGetAsset_roundTripOverHttpWithSignatureAndEncryptionVerified()
    {
        await using var fakeMdes = await StartFakeMdesAsync();
        using var provider = Services(fakeMdes.Urls.Single() + "/mdes").BuildServiceProvider();
        var client = provider.GetRequiredService<MdesWireClient>();

        var response = await client.TokenizeAsync(
            new TokenizeRequest
            {
                TaskId = "t-1",
                FundingAccountInfo = new FundingAccountInfo
                {
                    EncryptedPayload = new FundingAccountPayload(new FundingAccountData
                    {
                        CardAccountData = new CardAccountData { AccountNumber = "5555444433331111", ExpiryMonth = "07", ExpiryYear = "29" },
                        Source = "ACCOUNT_ON_FILE",
                    }),
                },
            },
            new MdesCallContext(Trid));
        var asset = await client.GetAssetAsync("asset-1", new MdesCallContext(Trid));

        response.Decision.ShouldBe("APPROVED");
        response.TokenDetail!.EncryptedData!.PaymentAccountReference.ShouldBe("PAR-for-1111");
        asset.MediaContents.ShouldHaveSingleItem().Type.ShouldBe("image/png");
    }

    [Fact]
    public async Task AddMdes_connectionRefused_isRetriedThenReportedAsNeverSent()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var provider = Services($"http://127.0.0.1:{closedPort}/mdes").BuildServiceProvider();

        var ex = await Should.ThrowAsync<MdesUnavailableException>(() => provider.GetRequiredService<MdesWireClient>()
            .TransactAsync(new TransactRequest { TokenUniqueReference = "DWSPMC1" }, new MdesCallContext(Trid)));

        ex.Reason.ShouldBe(MdesUnavailableReason.ConnectionFailed);
        ex.OutcomeUnknown.ShouldBeFalse();
    }

    [Fact]
    public void AddMdes_pemKeyWithSiblingCrtAndPublicKeyFingerprint_bindsAndIndexesBothFingerprints()
    {
        using var provider = Services("http://127.0.0.1:1/mdes").BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<MdesOptions>>().Value;
        var ring = provider.GetRequiredService<MdesKeyRing>();

        options.OaepHashingAlgorithm.ShouldBe(MdesOaepDigest.Sha256);
        options.FingerprintType.ShouldBe(MdesFingerprintType.PublicKey);
        ring.EncryptionKeyFingerprint.ShouldBe(MdesFingerprints.OfPublicKey(_mdes.Cert));
        ring.DecryptionFingerprints.ShouldContain(MdesFingerprints.OfCertificate(_ours.Cert));
        ring.DecryptionFingerprints.ShouldContain(MdesFingerprints.OfPublicKey(_ours.Cert));
    }

    [Theory]
    [InlineData("Mdes:BaseUrl", "not-a-url", "Mdes:BaseUrl")]
    [InlineData("Mdes:SigningKeyPath", "/nonexistent/signing.p12", "Mdes:SigningKeyPath")]
    [InlineData("Mdes:SigningKeyPassword", "wrong", "Mdes:SigningKeyPath")]
    [InlineData("Mdes:EncryptionCertificatePath", "/nonexistent/mdes.crt", "Mdes:EncryptionCertificatePath")]
    [InlineData("Mdes:DecryptionKeys:0:Path", "/nonexistent/ours.key", "Mdes:DecryptionKeys:0:Path")]
    [InlineData("Mdes:TpsPerTokenRequestor", "0", "TpsPerTokenRequestor")]
    [InlineData("Mdes:ConsumerKey", "", "ConsumerKey")]
    public async Task AddMdes_badSetting_stopsBootNamingTheSetting(string key, string value, string named)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(Settings("http://127.0.0.1:1/mdes"));
        builder.Configuration.AddInMemoryCollection([new(key, value)]);
        builder.Services.AddSingleton<IConnectionMultiplexer>(redis.Connection);
        builder.Services.AddMdes(builder.Configuration);
        using var host = builder.Build();

        var ex = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync());

        ex.Message.ShouldContain(named);
        ex.Message.ShouldNotContain("PRIVATE KEY");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ServiceCollection Services(string baseUrl)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(baseUrl)).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConnectionMultiplexer>(redis.Connection);
        services.AddMdes(configuration);
        return services;
    }

    private Dictionary<string, string?> Settings(string baseUrl)
    {
        var signingPath = Path.Combine(_dir, "signing.p12");
        var mdesPath = Path.Combine(_dir, "mdes.crt");
        var oursPath = Path.Combine(_dir, "ours.key");
        if (!File.Exists(signingPath))
        {
            File.WriteAllBytes(signingPath, _signing.Cert.Export(X509ContentType.Pkcs12, "signpass"));
            File.WriteAllText(mdesPath, _mdes.Cert.ExportCertificatePem());
            File.WriteAllText(oursPath, _ours.Key.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(Path.Combine(_dir, "ours.crt"), _ours.Cert.ExportCertificatePem());
        }

        return new()
        {
            ["Mdes:BaseUrl"] = baseUrl,
            ["Mdes:AllowHttp"] = "true", // the fake MDES is plain http; each bad-setting case fails for its own reason
            ["Mdes:ConsumerKey"] = "consumer-key!it",
            ["Mdes:SigningKeyPath"] = signingPath,
            ["Mdes:SigningKeyPassword"] = "signpass",
            ["Mdes:EncryptionCertificatePath"] = mdesPath,
            ["Mdes:DecryptionKeys:0:Path"] = oursPath,
            ["Mdes:OaepHashingAlgorithm"] = "SHA256",
            ["Mdes:FingerprintType"] = "PublicKey",
            ["Mdes:ResponseHost"] = "psp.example.net",
            ["Mdes:RedisKeyPrefix"] = redis.KeyPrefix,
            ["Mdes:RetryBaseDelay"] = "00:00:00.010",
            ["Mdes:TpsPerTokenRequestor"] = "50",
        };
    }

    private async Task<WebApplication> StartFakeMdesAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var mdesSide = new FieldLevelEncryption(new MdesKeyRing(
            _signing.Key, _ours.Cert, [MdesKeyRing.DecryptionKeyFrom(new MdesPrivateKey(_mdes.Key, _mdes.Cert))], MdesOaepDigest.Sha256, MdesFingerprintType.Certificate));

        app.MapPost("/mdes/digitization/static/1/0/tokenize", async (HttpRequest request) =>
        {
            var body = await ReadBodyAsync(request);
            if (!SignatureValid(request, body))
            {
                return Results.Json(JsonNode.Parse("""{"Errors":{"Error":[{"Source":"Gateway","ReasonCode":"AUTHENTICATION_FAILED","Recoverable":false}]}}"""), statusCode: 401);
            }

            var json = JsonNode.Parse(body)!.AsObject();
            mdesSide.DecryptPath(json, "fundingAccountInfo.encryptedPayload", "fundingAccountInfo.encryptedPayload.encryptedData");
            var pan = json["fundingAccountInfo"]!["encryptedPayload"]!["encryptedData"]!["cardAccountData"]!["accountNumber"]!.GetValue<string>();
            var response = new JsonObject
            {
                ["responseId"] = "s-" + json["requestId"]!.GetValue<string>(),
                ["decision"] = "APPROVED",
                ["tokenUniqueReference"] = "DWSPMC1",
                ["tokenDetail"] = new JsonObject
                {
                    ["tokenUniqueReference"] = "DWSPMC1",
                    ["encryptedData"] = new JsonObject { ["paymentAccountReference"] = "PAR-for-" + pan[^4..] },
                },
            };
            mdesSide.EncryptPath(response, "tokenDetail.encryptedData", "tokenDetail");
            return Results.Content(response.ToJsonString(), "application/json");
        });
        app.MapGet("/mdes/assets/static/1/0/asset/{id}", async (HttpRequest request) =>
            SignatureValid(request, await ReadBodyAsync(request))
                ? Results.Content("""{"mediaContents":[{"type":"image/png","data":"iVBORw0KGgo=","width":"1","height":"1"}]}""", "application/json")
                : Results.StatusCode(401));
        await app.StartAsync();
        return app;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private bool SignatureValid(HttpRequest request, byte[] body)
    {
        var header = request.Headers.Authorization.ToString();
        var oauth = Regex.Matches(header, "(\\w+)=\"([^\"]*)\"").ToDictionary(m => m.Groups[1].Value, m => Uri.UnescapeDataString(m.Groups[2].Value));
        if (oauth["oauth_body_hash"] != Convert.ToBase64String(SHA256.HashData(body)))
        {
            return false;
        }

        var uri = new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}");
        var baseString = OAuthSigner.SignatureBaseString(new HttpMethod(request.Method), uri, oauth.Where(p => p.Key != "oauth_signature"));
        return _signing.Key.VerifyData(Encoding.UTF8.GetBytes(baseString), Convert.FromBase64String(oauth["oauth_signature"]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    private static (X509Certificate2 Cert, RSA Key) SelfSigned(string subject)
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return (request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)), key);
    }
}
