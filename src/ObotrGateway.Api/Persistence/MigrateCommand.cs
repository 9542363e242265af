using Npgsql;

namespace ObotrGateway.Api.Persistence;

/// <summary>`dotnet ObotrGateway.Api.dll migrate`: apply the schema and exit 0, or say why not and exit 1.</summary>
internal static class MigrateCommand
{
    public static async Task<int> RunAsync(IConfiguration configuration)
    {
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddJsonConsole());
        var logger = loggerFactory.CreateLogger(typeof(MigrateCommand));
        var connectionString = configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await Console.Error.WriteLineAsync("migrate: ConnectionStrings:Postgres (env ConnectionStrings__Postgres) is required.");
            return 1;
        }

        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await new SchemaMigrator(dataSource, loggerFactory.CreateLogger<SchemaMigrator>()).MigrateAsync();
            return 0;
        }
        catch (NpgsqlException exception)
        {
            // The message names the server and the failure, never the password.
            await Console.Error.WriteLineAsync($"migrate: PostgreSQL refused the migration: {exception.Message}");
            logger.LogMigrationFailed(exception.SqlState);
            return 1;
        }
    }
}

internal static partial class MigrateCommandLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Migration failed (SQLSTATE {SqlState})")]
    public static partial void LogMigrationFailed(this ILogger logger, string? sqlState);
}
