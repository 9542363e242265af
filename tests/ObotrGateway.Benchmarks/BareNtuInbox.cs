using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.Wire;
using ObotrGateway.Api.Notifications;

namespace ObotrGateway.Benchmarks;

/// <summary>
/// The NTU benchmark's baseline: an endpoint that only stores the inbox row. It reads the same encrypted body,
/// takes the plaintext requestId and inserts the row with the gateway's own <see cref="NtuInbox"/> (same SQL, same
/// values) into a copy of <c>ntu_inbox</c> in a schema of its own, then answers 200. It skips what the real endpoint
/// adds: decryption (the row's values come from the plaintext the benchmark encrypted), validation, the gateway's
/// middleware and logging, and the hand-off to the applier. Hosted in the benchmark process on a loopback port.
/// </summary>
internal sealed class BareNtuInbox : IAsyncDisposable
{
    // A schema rather than a renamed table, so NtuInbox's SQL ("INSERT INTO ntu_inbox …") is used unchanged.
    private const string Schema = "bench_ntu_baseline";

    private readonly string _connectionString;
    private readonly NpgsqlDataSource _dataSource;
    private readonly WebApplication _app;

    private BareNtuInbox(string connectionString, NpgsqlDataSource dataSource, WebApplication app, Uri address, NtuInbox inbox)
    {
        _connectionString = connectionString;
        _dataSource = dataSource;
        _app = app;
        Address = address;
        Inbox = inbox;
    }

    /// <summary>Where to POST the NTUs (the real endpoint's route on this host).</summary>
    public Uri Address { get; }

    /// <summary>The gateway's inbox writer on the copied table: the floor measurement inserts through it without HTTP.</summary>
    public NtuInbox Inbox { get; }

    /// <param name="connectionString">The gateway's database: the copy sits next to the real table.</param>
    /// <param name="plaintexts">Each requestId's token updates, as the gateway would have decrypted them.</param>
    public static async Task<BareNtuInbox> StartAsync(string connectionString, IReadOnlyDictionary<string, IReadOnlyList<MdesToken>> plaintexts)
    {
        await ExecuteAsync(connectionString, $"""
            DROP SCHEMA IF EXISTS {Schema} CASCADE;
            CREATE SCHEMA {Schema};
            CREATE TABLE {Schema}.ntu_inbox (LIKE ntu_inbox INCLUDING ALL);
            """);
        var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = Schema }.ConnectionString);
        var inbox = new NtuInbox(dataSource, TimeProvider.System);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost(NotifyTokenUpdatedEndpoints.Route, async (HttpContext context, CancellationToken cancellationToken) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, cancellationToken);
            string? requestId;
            using (var document = JsonDocument.Parse(body.GetBuffer().AsMemory(0, (int)body.Length)))
            {
                requestId = document.RootElement.TryGetProperty("requestId", out var id) ? id.GetString() : null;
            }

            if (requestId is null || !plaintexts.TryGetValue(requestId, out var tokens))
            {
                return Results.BadRequest();
            }

            await inbox.InsertAsync(requestId, [.. tokens.Select(token => new NotifiedTokenUpdate(MdesClient.StateOf(token), JsonSerializer.Serialize(token, MdesJson.Options)))],
                cancellationToken);
            return Results.Ok(new NotifyTokenUpdatedAck("obotr-bench.local", Guid.NewGuid().ToString("N")));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BareNtuInbox(connectionString, dataSource, app, new Uri(new Uri(address), NotifyTokenUpdatedEndpoints.Route), inbox);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _dataSource.DisposeAsync();
        await ExecuteAsync(_connectionString, $"DROP SCHEMA IF EXISTS {Schema} CASCADE");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
