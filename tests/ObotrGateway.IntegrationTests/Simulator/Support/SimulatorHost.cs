using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ObotrGateway.MdesSimulator;
using ObotrGateway.MdesSimulator.Security;

namespace ObotrGateway.IntegrationTests.Simulator.Support;

/// <summary>
/// The simulator served over real HTTP on loopback (WebApplicationFactory + Kestrel on a free port), wired to a
/// fresh development key set and to an NTU receiver. Reusable by any integration fixture that needs MDES.
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    /// <summary>The second requestor may only use this TRID (the first may use any).</summary>
    public const string RestrictedTrid = "50999999999";

    private SimulatorFactory _factory = null!;

    public string KeyDirectory { get; private set; } = "";

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public NtuReceiver Ntu { get; private set; } = null!;

    public TestMdesClient Mdes { get; private set; } = null!;

    /// <summary>A second token requestor (own consumer key and signing key, restricted to <see cref="RestrictedTrid"/>).</summary>
    public TestMdesClient OtherRequestor { get; private set; } = null!;

    public IServiceProvider Services => _factory.Services;

    public static async Task<SimulatorHost> StartAsync(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var host = new SimulatorHost { KeyDirectory = Path.Combine(Path.GetTempPath(), "obotr-sim-" + Guid.NewGuid().ToString("N")) };
        var other = Path.Combine(host.KeyDirectory, "other");
        DevKeySet.Generate(host.KeyDirectory, TimeProvider.System);
        DevKeySet.Generate(other, TimeProvider.System);
        string K(string name) => Path.Combine(host.KeyDirectory, name);
        var trKey = PemFiles.LoadPrivateKey(K(DevKeySet.EncryptionKey));
        host.Ntu = await NtuReceiver.StartAsync(trKey);

        var settings = new Dictionary<string, string?>
        {
            ["Simulator:DecryptionKeyPath"] = K(DevKeySet.MdesPrivateKey),
            ["Simulator:EncryptionCertificatePath"] = K(DevKeySet.MdesCertificate),
            ["Simulator:TokenRequestors:0:ConsumerKey"] = File.ReadAllText(K(DevKeySet.ConsumerKey)),
            ["Simulator:TokenRequestors:0:SigningCertificatePath"] = K(DevKeySet.SigningCertificate),
            ["Simulator:TokenRequestors:0:EncryptionCertificatePath"] = K(DevKeySet.EncryptionCertificate),
            ["Simulator:TokenRequestors:0:NotificationBaseUrl"] = host.Ntu.BaseUrl.ToString(),
            ["Simulator:TokenRequestors:1:ConsumerKey"] = File.ReadAllText(Path.Combine(other, DevKeySet.ConsumerKey)),
            ["Simulator:TokenRequestors:1:SigningCertificatePath"] = Path.Combine(other, DevKeySet.SigningCertificate),
            ["Simulator:TokenRequestors:1:EncryptionCertificatePath"] = Path.Combine(other, DevKeySet.EncryptionCertificate),
            ["Simulator:TokenRequestors:1:NotificationBaseUrl"] = host.Ntu.BaseUrl.ToString(),
            ["Simulator:TokenRequestors:1:TokenRequestorIds:0"] = RestrictedTrid,
            ["Simulator:NtuRetryTimeScale"] = "0.0001",
            ["Simulator:ActivationDelay"] = "00:00:00.600",
            ["Simulator:SlowIssuerDelay"] = "00:00:00.300",
            ["Simulator:IssuerConsoleTpsLimit"] = "0",
            ["Simulator:CryptogramSecret"] = "integration-test-secret",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        host._factory = new SimulatorFactory(settings);
        host._factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        host._factory.StartServer();
        var address = host._factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.BaseAddress = new Uri(address);
        host.Http = new HttpClient { BaseAddress = host.BaseAddress };
        var mdesCertificate = PemFiles.LoadCertificate(K(DevKeySet.MdesCertificate));
        host.Mdes = new TestMdesClient(host.Http, settings["Simulator:TokenRequestors:0:ConsumerKey"]!,
            PemFiles.LoadPrivateKey(K(DevKeySet.SigningKey)), mdesCertificate, trKey);
        host.OtherRequestor = new TestMdesClient(host.Http, settings["Simulator:TokenRequestors:1:ConsumerKey"]!,
            PemFiles.LoadPrivateKey(Path.Combine(other, DevKeySet.SigningKey)), mdesCertificate,
            PemFiles.LoadPrivateKey(Path.Combine(other, DevKeySet.EncryptionKey)));
        return host;
    }

    public async Task<(HttpStatusCode Status, JsonObject? Body)> ConsoleAsync(string path, object body, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text)!.AsObject());
    }

    public async Task<JsonObject> GetJsonAsync(string path) => JsonNode.Parse(await Http.GetStringAsync(path))!.AsObject();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
        await Ntu.DisposeAsync();
        try
        {
            Directory.Delete(KeyDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Temp files; best effort.
        }
    }

    private sealed class SimulatorFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<SimulatorProgram>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // Warnings and errors on the console; per-request Information lines would flood the test output.
            builder.UseSetting("Logging:Console:LogLevel:Default", "Warning");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}

/// <summary>One simulator for the whole "Simulator" collection: tests in it run one after another (faults are global).</summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    public SimulatorHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await SimulatorHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SimulatorCollectionDefinition : ICollectionFixture<SimulatorFixture>
{
    public const string Name = "Simulator";
}

/// <summary>Tiny helpers shared by the simulator tests.</summary>
public static class Json
{
    public static JsonObject Obj(object value) => System.Text.Json.JsonSerializer.SerializeToNode(value)!.AsObject();

    public static RSA NewKey() => RSA.Create(2048);

    public static X509Certificate2 SelfSigned(RSA key) =>
        new CertificateRequest("CN=test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
}
