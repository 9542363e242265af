using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.IntegrationTests.Infrastructure;

/// <summary>One throw-away database per test run, created by the real migrations and dropped afterwards.</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(bool migrate = true)
    {
        var name = "obotr_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = NpgsqlDataSource.Create(TestServices.Postgres))
        await using (var create = admin.CreateCommand($"CREATE DATABASE \"{name}\""))
        {
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(TestServices.Postgres) { Database = name }.ConnectionString;
        var database = new TestDatabase(name, connectionString);
        if (migrate)
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        }

        return database;
    }

    /// <summary>
    /// Not <c>DROP DATABASE … WITH (FORCE)</c>: FORCE must be allowed to terminate every backend on the database, and an
    /// autovacuum worker (a superuser's) that happens to be cleaning up after a write-heavy test refuses the test role
    /// (42501). So: no new connections, our own role's sessions ended, then a plain DROP, which stops autovacuum itself
    /// and waits for the ended sessions to go.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(TestServices.Postgres);
        await using (var close = admin.CreateCommand($"ALTER DATABASE \"{Name}\" WITH ALLOW_CONNECTIONS false"))
        {
            await close.ExecuteNonQueryAsync();
        }

        await using (var terminate = admin.CreateCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND usename = current_user AND pid <> pg_backend_pid()"))
        {
            terminate.Parameters.Add(new NpgsqlParameter { Value = Name });
            await terminate.ExecuteScalarAsync();
        }

        await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS \"{Name}\"");
        await drop.ExecuteNonQueryAsync();
    }
}
