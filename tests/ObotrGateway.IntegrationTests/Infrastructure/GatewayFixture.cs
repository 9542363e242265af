using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using ObotrGateway.IntegrationTests.Simulator.Support;
using ObotrGateway.MdesSimulator.Security;

namespace ObotrGateway.IntegrationTests.Infrastructure;

/// <summary>
/// One whole deployment per test collection (<see cref="GatewayTestGroup"/> and its siblings in TestGroups.cs): one
/// database, one queue prefix, one Redis key prefix, the MDES simulator over real HTTP and the gateway on real Kestrel
/// (so the simulator can call it back with NTUs). Collections run in parallel, each on its own fixture; inside one,
/// tests stay independent by creating their own merchants (each sees only its own data).
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime, IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";

    private TestDatabase? _database;
    private GatewayFactory? _factory;
    private SimulatorHost? _simulator;

    internal CapturedLogs Logs { get; } = new();

    /// <summary>Span and metric label texts, scanned for card data like the logs.</summary>
    internal CapturedTelemetry Telemetry { get; } = new();

    /// <summary>Token numbers handed to tests: the hygiene checks look for these as well as for the test PANs.</summary>
    internal System.Collections.Concurrent.ConcurrentBag<string> SecretsSeen { get; } = [];
    internal string RunId { get; } = "t" + Guid.NewGuid().ToString("N")[..10];
    internal TestDatabase Database => _database ?? throw new InvalidOperationException("fixture not started");
    internal GatewayFactory Factory => _factory ?? throw new InvalidOperationException("fixture not started");
    internal SimulatorHost Simulator => _simulator ?? throw new InvalidOperationException("fixture not started");
    internal Uri GatewayAddress { get; private set; } = null!;
    internal Uri MetricsAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await TestServices.EnsureReachableAsync();
        _database = await TestDatabase.CreateAsync();
        var port = FreePort();
        GatewayAddress = new Uri($"http://127.0.0.1:{port}/");
        _simulator = await SimulatorHost.StartAsync(new Dictionary<string, string?>
        {
            ["Simulator:TokenRequestors:0:NotificationBaseUrl"] = GatewayAddress.ToString(),
            ["Simulator:ActivationDelay"] = "00:00:00.300",
            ["Simulator:RequestLogCapacity"] = "50000", // bulk tests read thousands of calls back
        });
        var metricsPort = FreePort(); // the scrape listener, as in production (docs/operations.md)
        MetricsAddress = new Uri($"http://127.0.0.1:{metricsPort}/metrics");
        var settings = Settings();
        settings["Telemetry:PrometheusPort"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _factory = new GatewayFactory(settings, Logs);
        _factory.UseKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, port);
            options.Listen(IPAddress.Loopback, metricsPort);
        });
        _factory.StartServer(); // start now, so a broken boot fails here with its real exception
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private string Key(string name) => Path.Combine(Simulator.KeyDirectory, name);

    internal Dictionary<string, string?> Settings() => new()
    {
        ["ConnectionStrings:Postgres"] = Database.ConnectionString,
        ["ConnectionStrings:Redis"] = TestServices.Redis,
        ["ConnectionStrings:RabbitMq"] = TestServices.RabbitMq,
        ["Admin:ApiKey"] = AdminKey,
        ["Messaging:QueuePrefix"] = RunId,
        ["Redis:KeyPrefix"] = RunId + ":",
        ["DataProtection:Key"] = DataProtectionKey,
        ["DataProtection:FingerprintKey"] = FingerprintKey,
        ["Mdes:BaseUrl"] = new Uri(Simulator.BaseAddress, "mdes").ToString(),
        ["Mdes:ConsumerKey"] = File.ReadAllText(Key(DevKeySet.ConsumerKey)),
        ["Mdes:SigningKeyPath"] = Key(DevKeySet.SigningKey),
        ["Mdes:EncryptionCertificatePath"] = Key(DevKeySet.MdesCertificate),
        ["Mdes:DecryptionKeys:0:Path"] = Key(DevKeySet.EncryptionKey),
        ["Mdes:DecryptionKeys:0:CertificatePath"] = Key(DevKeySet.EncryptionCertificate),
        ["Mdes:ResponseHost"] = "obotr-gateway.test",
        ["Mdes:TpsPerTokenRequestor"] = "50",
        // Every gateway of the fixture (its own, BulkGateway hosts, gateway processes) must agree on a TRID's cap, as
        // replicas of one deployment do: these TRIDs have lower caps for the TPS tests (NewMerchantAsync(TridAtCap(n))).
        [$"Mdes:TpsOverrides:{TridAtCap(10)}"] = "10",
        [$"Mdes:TpsOverrides:{TridAtCap(25)}"] = "25",
        ["Acquirer:BaseUrl"] = Simulator.BaseAddress.ToString(),
        // The simulator is plain http and the tests run as "Testing", not Development (ADR 0709).
        ["Mdes:AllowHttp"] = "true",
        ["Acquirer:AllowHttp"] = "true",
        // Every test calls from 127.0.0.1: the suite's deliberate wrong keys must not add up to a 429 for the next
        // test that expects a 401, nor a fast loop of one merchant's calls to a 429. ThrottlingTests runs its own
        // replicas with small limits.
        ["Throttling:FailedAuthenticationLimit"] = "1000000",
        ["Throttling:MerchantRequestLimit"] = "1000000",
        ["Payments:ActivationWait"] = "00:00:05",
        ["Mdes:AttemptTimeout"] = "00:00:02",
        ["Mdes:TotalTimeout"] = "00:00:05",
        // Reconciliation passes are driven by the tests themselves (PendingTokenReconciler.ReconcileOnceAsync).
        ["GatewayTokens:ReconcileAfter"] = "00:00:01",
        ["GatewayTokens:CrashCutoff"] = "00:00:30",
        ["GatewayTokens:ReconcileInterval"] = "01:00:00",
        // Test receivers listen on http://127.0.0.1 (WebhookReceiver).
        // The console carries warnings and errors only: every log line is captured (and scanned for card data) by
        // CapturedLogs anyway, and Information on the console made test.sh's output ~25 MB.
        ["Logging:Console:LogLevel:Default"] = "Warning",
        ["Webhooks:AllowHttp"] = "true",
        ["Webhooks:AllowPrivateNetworks"] = "true",
        ["Webhooks:PollInterval"] = "00:00:00.100",
        // The simulator calls back over plain http, and "Testing" is not Development: the explicit opt-out (logged at start).
        // NtuMutualTlsTests and ForgedNtuTests run the callback with mutual TLS.
        ["Notifications:AllowUnauthenticatedCallbacks"] = "true",
        ["Webhooks:InitialRetryDelay"] = "00:00:00.200",
    };

    internal string DataProtectionKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    internal string FingerprintKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public HttpClient AdminClient()
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    public HttpClient MerchantClient(string apiKey)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>A TRID whose cap every gateway of the fixture sets to <paramref name="cap"/> (10 or 25); one merchant each.</summary>
    public static string TridAtCap(int cap) => "999000000" + cap.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A fresh merchant with a unique TRID (or the one given), and a client that calls as it.</summary>
    public async Task<(TestMerchant Merchant, HttpClient Client)> NewMerchantAsync(string? tokenRequestorId = null)
    {
        using var admin = AdminClient();
        var trid = tokenRequestorId ?? NewTrid();
        var response = await admin.PostAsJsonAsync("/v1/admin/merchants", new { name = "Test merchant " + trid, tokenRequestorId = trid });
        response.EnsureSuccessStatusCode();
        var merchant = (await response.Content.ReadFromJsonAsync<TestMerchant>())!;
        SecretsSeen.Add(merchant.ApiKey); // API keys must never be stored or logged in clear either
        return (merchant, MerchantClient(merchant.ApiKey));
    }

    public static string NewTrid() =>
        string.Concat(Enumerable.Range(0, 11).Select(_ => (char)('0' + System.Security.Cryptography.RandomNumberGenerator.GetInt32(10))));

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public async Task DisposeAsync()
    {
        // The last word on card data: after every test of the collection, nothing may have leaked anywhere.
        var leaks = _database is null ? [] : await CardDataLeaks.FindAsync(this, [.. TestCards.All, .. SecretsSeen, AdminKey]);
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
            await RabbitMqControl.DeleteQueuesAsync(RunId);
        }

        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        Telemetry.Dispose();
        if (leaks.Count > 0)
        {
            throw new InvalidOperationException("Card data leaked during the run:\n" + string.Join('\n', leaks));
        }
    }
}

public sealed record TestMerchant(Guid MerchantId, string Name, string TokenRequestorId, string ApiKey);
