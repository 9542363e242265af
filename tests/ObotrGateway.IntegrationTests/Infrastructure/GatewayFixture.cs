using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace ObotrGateway.IntegrationTests.Infrastructure;

/// <summary>
/// Shared by every test class in the "gateway" collection: one database, one gateway, one queue prefix for
/// the whole run. Tests stay independent by creating their own merchants (each merchant sees only its data).
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime, IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";

    private TestDatabase? _database;
    private GatewayFactory? _factory;

    internal CapturedLogs Logs { get; } = new();
    internal string RunId { get; } = "t" + Guid.NewGuid().ToString("N")[..10];
    internal TestDatabase Database => _database ?? throw new InvalidOperationException("fixture not started");
    internal GatewayFactory Factory => _factory ?? throw new InvalidOperationException("fixture not started");

    public async Task InitializeAsync()
    {
        await TestServices.EnsureReachableAsync();
        _database = await TestDatabase.CreateAsync();
        _factory = new GatewayFactory(Settings(), Logs);
        _ = _factory.Server; // start now, so a broken boot fails here with its real exception
    }

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

    /// <summary>A fresh merchant with a unique TRID, and a client that calls as it.</summary>
    public async Task<(TestMerchant Merchant, HttpClient Client)> NewMerchantAsync()
    {
        using var admin = AdminClient();
        var trid = NewTrid();
        var response = await admin.PostAsJsonAsync("/v1/admin/merchants", new { name = "Test merchant " + trid, tokenRequestorId = trid });
        response.EnsureSuccessStatusCode();
        var merchant = (await response.Content.ReadFromJsonAsync<TestMerchant>())!;
        return (merchant, MerchantClient(merchant.ApiKey));
    }

    public static string NewTrid() =>
        string.Concat(Enumerable.Range(0, 11).Select(_ => (char)('0' + System.Security.Cryptography.RandomNumberGenerator.GetInt32(10))));

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

public sealed record TestMerchant(Guid MerchantId, string Name, string TokenRequestorId, string ApiKey);

[CollectionDefinition(Name)]
public sealed class GatewayTestGroup : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
