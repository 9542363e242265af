using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using ObotrGateway.Api.Cryptograms;
using ObotrGateway.Api.Merchants;
using ObotrGateway.Testing;
using StackExchange.Redis;

namespace ObotrGateway.Benchmarks;

/// <summary>
/// The pay benchmark's baseline: the round trips a payment with a gateway token makes, and nothing else. Per request:
/// the merchant read by API key hash, the gateway token read by (token, merchant, not PENDING), the vault's own take
/// script (CryptogramVault's) on a sorted set of its own, one POST to the simulator's acquirer,
/// and the payment row inserted — into a copy of <c>payments</c> (with the same foreign keys) in a schema of its own.
/// Left out is what the gateway adds: its middleware (idempotency, rate limiting, problem details, telemetry,
/// logging), EF Core, the cryptogram's decryption and the refill request to RabbitMQ. Hosted in the benchmark process.
/// </summary>
internal sealed class BarePayment : IAsyncDisposable
{
    private const string Schema = "bench_pay_baseline";
    private const string Route = "/v1/payments";

    // The gateway's own take script, read from its type so the two cannot drift (private there; read-only here).
    private static readonly string TakeScript = (string)typeof(CryptogramVault)
        .GetField("TakeScript", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.GetRawConstantValue()!;

    private readonly string _connectionString;
    private readonly NpgsqlDataSource _dataSource;
    private readonly HttpClient _acquirer;
    private readonly IDatabase _redis;
    private readonly string _keyPrefix;
    private readonly WebApplication _app;

    private BarePayment(string connectionString, NpgsqlDataSource dataSource, HttpClient acquirer, IDatabase redis, string keyPrefix,
        WebApplication app, Uri address)
    {
        _connectionString = connectionString;
        _dataSource = dataSource;
        _acquirer = acquirer;
        _redis = redis;
        _keyPrefix = keyPrefix;
        _app = app;
        Address = address;
    }

    /// <summary>Where to POST the payments (the real endpoint's route on this host).</summary>
    public Uri Address { get; }

    /// <param name="connectionString">The gateway's database: merchants and gateway tokens are read from it.</param>
    /// <param name="redis">The gateway's Redis; the baseline's vault keys sit under <paramref name="keyPrefix"/>.</param>
    /// <param name="keyPrefix">A prefix of the baseline's own, so its vault keys never meet the gateway's.</param>
    /// <param name="simulator">The simulator whose acquirer the gateway calls.</param>
    public static async Task<BarePayment> StartAsync(string connectionString, IConnectionMultiplexer redis, string keyPrefix, Uri simulator)
    {
        await ExecuteAsync(connectionString, $"""
            DROP SCHEMA IF EXISTS {Schema} CASCADE;
            CREATE SCHEMA {Schema};
            CREATE TABLE {Schema}.payments (LIKE public.payments INCLUDING ALL,
                FOREIGN KEY (merchant_id) REFERENCES public.merchants (id),
                FOREIGN KEY (gateway_token_id) REFERENCES public.gateway_tokens (id) ON DELETE SET NULL);
            """);
        // payments resolves to the copy, merchants and gateway_tokens to the gateway's own tables.
        var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = $"{Schema},public" }.ConnectionString);
        var acquirer = new HttpClient { BaseAddress = simulator, Timeout = TimeSpan.FromSeconds(15) };
        var db = redis.GetDatabase();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost(Route, async (HttpContext context, CancellationToken cancellationToken) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                return Results.Unauthorized();
            }

            Guid merchantId;
            await using (var command = dataSource.CreateCommand("SELECT id, token_requestor_id, api_key_hash FROM merchants WHERE api_key_hash = $1 LIMIT 1"))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = ApiKeys.Hash(header["Bearer ".Length..]) });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                if (!await reader.ReadAsync(cancellationToken))
                {
                    return Results.Unauthorized();
                }

                merchantId = reader.GetGuid(0);
            }

            var request = await context.Request.ReadFromJsonAsync<PayRequest>(cancellationToken);
            if (request?.GatewayToken is null)
            {
                return Results.BadRequest();
            }

            Guid tokenId;
            string tur;
            // All columns, as the gateway's entity read takes them.
            await using (var command = dataSource.CreateCommand(
                "SELECT * FROM gateway_tokens WHERE gateway_token = $1 AND merchant_id = $2 AND status <> 'PENDING' LIMIT 2"))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = request.GatewayToken });
                command.Parameters.Add(new NpgsqlParameter { Value = merchantId });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                if (!await reader.ReadAsync(cancellationToken))
                {
                    return Results.NotFound();
                }

                tokenId = reader.GetGuid(reader.GetOrdinal("id"));
                tur = reader.GetString(reader.GetOrdinal("token_unique_reference"));
            }

            var taken = await db.ScriptEvaluateAsync(TakeScript, [VaultKey(keyPrefix, tur)]);
            if (taken.IsNull)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            // The simulator does not know this process's (made-up) cryptograms, so the call authorizes an approved test PAN:
            // the same endpoint, a body of the same size, an answer of the same shape.
            using var response = await acquirer.PostAsJsonAsync("acquirer/authorizations", new
            {
                pan = TestPans.Random(),
                expiryMonth = "12",
                expiryYear = "31",
                amount = request.Amount,
                currency = request.Currency,
            }, cancellationToken);
            var answer = await response.Content.ReadFromJsonAsync<AcquirerAnswer>(cancellationToken);
            var paymentId = Guid.CreateVersion7();
            var status = answer?.Status == "approved" ? "authorized" : "declined";
            await using (var command = dataSource.CreateCommand("""
                INSERT INTO payments (id, merchant_id, gateway_token_id, amount, currency, recurring, status, decline_reason,
                    network_token_used, security_level_indicator, acquirer_reference, tokenization_outcome, created_at)
                VALUES ($1, $2, $3, $4, $5, 'none', $6, $7, true, '246', $8, NULL, $9)
                """))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = paymentId });
                command.Parameters.Add(new NpgsqlParameter { Value = merchantId });
                command.Parameters.Add(new NpgsqlParameter { Value = tokenId });
                command.Parameters.Add(new NpgsqlParameter { Value = request.Amount });
                command.Parameters.Add(new NpgsqlParameter { Value = request.Currency });
                command.Parameters.Add(new NpgsqlParameter { Value = status });
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)answer?.DeclineReason ?? DBNull.Value });
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)answer?.AuthorizationId ?? DBNull.Value });
                command.Parameters.Add(new NpgsqlParameter { Value = DateTimeOffset.UtcNow });
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return Results.Created($"{Route}/{paymentId}", new
            {
                paymentId,
                status,
                amount = request.Amount,
                currency = request.Currency,
                gatewayToken = request.GatewayToken,
                networkTokenUsed = true,
            });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bare = new BarePayment(connectionString, dataSource, acquirer, db, keyPrefix, app, new Uri(new Uri(address), Route));
        return bare;
    }

    /// <summary>
    /// Puts <paramref name="perToken"/> entries in each TUR's sorted set, scored 30 minutes ahead like the gateway's,
    /// each the size of a real encrypted cryptogram, so the take script does the same work on the same shape of data.
    /// </summary>
    public async Task StockAsync(IEnumerable<string> turs, int perToken)
    {
        var expiry = DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeMilliseconds();
        foreach (var tur in turs)
        {
            var entries = Enumerable.Range(0, perToken).Select(_ => new SortedSetEntry(RandomNumberGenerator.GetBytes(180), expiry)).ToArray();
            await _redis.SortedSetAddAsync(VaultKey(_keyPrefix, tur), entries);
            await _redis.KeyExpireAsync(VaultKey(_keyPrefix, tur), TimeSpan.FromMinutes(30));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _acquirer.Dispose();
        await _dataSource.DisposeAsync();
        await ExecuteAsync(_connectionString, $"DROP SCHEMA IF EXISTS {Schema} CASCADE");
    }

    public async Task DeleteVaultsAsync(IEnumerable<string> turs)
    {
        foreach (var tur in turs)
        {
            await _redis.KeyDeleteAsync(VaultKey(_keyPrefix, tur));
        }
    }

    private static RedisKey VaultKey(string prefix, string tur) => $"{prefix}cryptograms:{{{tur}}}";

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private sealed record PayRequest(string? GatewayToken, long Amount, string Currency);

    private sealed record AcquirerAnswer(string? AuthorizationId, string? Status, string? DeclineReason);
}
