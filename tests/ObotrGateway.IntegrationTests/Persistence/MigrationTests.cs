using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ObotrGateway.Api.Persistence;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Persistence;

public sealed class MigrationTests
{
    [Fact]
    public async Task Two_migrators_starting_at_once_apply_every_script_exactly_once()
    {
        await TestServices.EnsureReachableAsync();
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        await using var first = NpgsqlDataSource.Create(database.ConnectionString);
        await using var second = NpgsqlDataSource.Create(database.ConnectionString);

        var applied = await Task.WhenAll(
            new SchemaMigrator(first, NullLogger<SchemaMigrator>.Instance).MigrateAsync(),
            new SchemaMigrator(second, NullLogger<SchemaMigrator>.Instance).MigrateAsync());

        applied.Sum().ShouldBe(SchemaMigrator.Scripts.Count);
        applied.ShouldContain(0);
        await using var count = first.CreateCommand("SELECT count(*) FROM schema_migrations");
        ((long)(await count.ExecuteScalarAsync())!).ShouldBe(SchemaMigrator.Scripts.Count);
    }

    [Fact]
    public async Task Migrating_an_up_to_date_database_applies_nothing()
    {
        await TestServices.EnsureReachableAsync();
        await using var database = await TestDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);

        var applied = await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync();

        applied.ShouldBe(0);
    }
}
