using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Npgsql;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.IntegrationTests.Simulator.Support;
using ObotrGateway.MdesSimulator.Security;

namespace ObotrGateway.IntegrationTests.Notifications;

/// <summary>
/// Plays MDES: crafts NTUs encrypted to the gateway's key and posts them to the gateway over real HTTP: the fixture's
/// gateway, or the one at <c>gateway</c> (a replica run as its own process).
/// </summary>
internal sealed class NtuSender(GatewayFixture fixture, Uri? gateway = null) : IDisposable
{
    public const string Route = "/digitization/static/1/0/notifyTokenUpdated";

    private readonly X509Certificate2 _certificate =
        X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(fixture.Simulator.KeyDirectory, DevKeySet.EncryptionCertificate)));

    public HttpClient Http { get; } = new() { BaseAddress = gateway ?? fixture.GatewayAddress };

    public static JsonObject Update(string tur, string trid, string status, DateTimeOffset timestamp, string? reason = null, string? tokenPanSuffix = null)
    {
        var token = new JsonObject
        {
            ["tokenUniqueReference"] = tur,
            ["tokenRequestorId"] = trid,
            ["status"] = status,
            ["statusTimestamp"] = timestamp.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (status == "SUSPENDED")
        {
            token["suspendedBy"] = new JsonArray("ISSUER");
        }

        if (reason is not null)
        {
            token["eventReasonCode"] = reason;
        }

        if (tokenPanSuffix is not null)
        {
            token["tokenInfo"] = new JsonObject { ["tokenPanSuffix"] = tokenPanSuffix, ["accountPanSuffix"] = "0003", ["tokenExpiry"] = "1231" };
        }

        return token;
    }

    public JsonObject Body(string requestId, JsonObject token, FleStyle? style = null) => new()
    {
        ["responseHost"] = "site1.mastercard.test",
        ["requestId"] = requestId,
        ["encryptedPayload"] = TestFle.Encrypt(new JsonObject { ["tokens"] = new JsonArray(token.DeepClone()) }, _certificate, style),
    };

    /// <summary>An NTU whose decrypted payload is exactly <paramref name="clearJson"/>: what a forger holding the public certificate can send.</summary>
    public string BodyEncrypting(string requestId, string clearJson) => new JsonObject
    {
        ["requestId"] = requestId,
        ["encryptedPayload"] = TestFle.Encrypt(System.Text.Encoding.UTF8.GetBytes(clearJson), _certificate),
    }.ToJsonString();

    public async Task<HttpResponseMessage> SendAsync(string requestId, JsonObject token, FleStyle? style = null) =>
        await Http.PostAsJsonAsync(Route, Body(requestId, token, style));

    /// <summary>
    /// A gateway token row for a TUR the test controls (as tokenize would have stored it), ACTIVE since <paramref name="since"/>,
    /// in the fixture's database or in <paramref name="database"/>.
    /// </summary>
    public async Task<(Guid Id, string GatewayToken)> InsertTokenAsync(Guid merchantId, string trid, string tur, DateTimeOffset since,
        TestDatabase? database = null)
    {
        var id = Guid.NewGuid();
        var gatewayToken = "gt_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection((database ?? fixture.Database).ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO gateway_tokens (id, gateway_token, merchant_id, token_requestor_id, task_id, source, status, token_unique_reference,
                                        status_timestamp, pan_suffix, pan_fingerprint, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, 'ACCOUNT_ON_FILE', 'ACTIVE', $6, $7, '0003', '\x00'::bytea, now(), now())
            """, connection);
        foreach (var value in new object[] { id, gatewayToken, merchantId, trid, Guid.NewGuid().ToString("N"), tur, since })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
        return (id, gatewayToken);
    }

    public static string NewTur() => "DWSPMC" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N")[..10];

    public void Dispose()
    {
        _certificate.Dispose();
        Http.Dispose();
    }
}
