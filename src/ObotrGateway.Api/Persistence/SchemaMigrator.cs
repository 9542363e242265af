using System.Reflection;
using Npgsql;

namespace ObotrGateway.Api.Persistence;

/// <summary>
/// Applies the versioned SQL scripts embedded from Persistence/Migrations, in name order, each in its own
/// transaction, recording them in schema_migrations. A session-level advisory lock makes two instances that
/// start at once take turns: the second finds everything applied and does nothing. See docs/adr/0001.
/// </summary>
internal sealed partial class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
{
    // Arbitrary but fixed: every gateway version must use the same key for the lock to mean anything.
    private const long AdvisoryLockKey = 0x0B07_6A7E_3A1C;
    private const string ResourcePrefix = "ObotrGateway.Api.Persistence.Migrations.";

    public static IReadOnlyList<(string Version, string Sql)> Scripts { get; } = LoadScripts();

    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    text PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken);

            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using (var read = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetString(0));
                }
            }

            var count = 0;
            foreach (var (version, sql) in Scripts.Where(script => !applied.Contains(script.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using (var apply = new NpgsqlCommand(sql, connection, transaction))
                {
                    await apply.ExecuteNonQueryAsync(cancellationToken);
                }

                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version) VALUES ($1)", connection, transaction))
                {
                    record.Parameters.Add(new NpgsqlParameter { Value = version });
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                LogApplied(version);
                count++;
            }

            LogUpToDate(count, Scripts.Count);
            return count;
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<(string Version, string Sql)> LoadScripts()
    {
        var assembly = Assembly.GetExecutingAssembly();
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                return (name[ResourcePrefix.Length..^".sql".Length], reader.ReadToEnd());
            })
            .ToList();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Version}")]
    private partial void LogApplied(string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema up to date: applied {Applied} of {Total} migrations")]
    private partial void LogUpToDate(int applied, int total);
}
