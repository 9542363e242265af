using Npgsql;
using StackExchange.Redis;

namespace ObotrGateway.IntegrationTests.Infrastructure;

/// <summary>
/// Looks for card numbers and token numbers where they must never be: captured logs, span attributes and metric
/// labels, every text/JSON/array column of every table, and every Redis value under the run's prefix. Returns where each was found.
/// </summary>
internal static class CardDataLeaks
{
    public static async Task<List<string>> FindAsync(GatewayFixture fixture, IReadOnlyCollection<string> secrets)
    {
        var leaks = new List<string>();
        foreach (var line in fixture.Logs.Lines)
        {
            leaks.AddRange(secrets.Where(line.Contains).Select(secret => $"log line contains …{secret[^4..]}: {Mask(line, secrets)}"));
        }

        foreach (var text in fixture.Telemetry.Texts)
        {
            leaks.AddRange(secrets.Where(text.Contains).Select(secret => $"telemetry contains …{secret[^4..]}: {Mask(text, secrets)}"));
        }

        await using var db = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        var columns = new List<(string Table, string Column, string Type)>();
        await using (var list = db.CreateCommand("""
            SELECT table_name, column_name, data_type FROM information_schema.columns
            WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'bytea')
            """))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        foreach (var (table, column, type) in columns)
        {
            // bytea is read as raw bytes (encode(…, 'escape') leaves printable ASCII as it is).
            var asText = type == "bytea" ? $"encode(\"{column}\", 'escape')" : $"\"{column}\"::text";
            // One round trip per column, not per column and secret: the secrets found in it come back.
            await using var probe = db.CreateCommand(
                $"SELECT secret FROM unnest($1::text[]) AS secret WHERE EXISTS (SELECT 1 FROM \"{table}\" WHERE position(secret in {asText}) > 0)");
            probe.Parameters.Add(new NpgsqlParameter { Value = secrets.ToArray() });
            await using var found = await probe.ExecuteReaderAsync();
            while (await found.ReadAsync())
            {
                leaks.Add($"{table}.{column} contains …{found.GetString(0)[^4..]}");
            }
        }

        // SCAN walks the whole keyspace (every run's keys share the server): give it time on a busy machine.
        using var redis = await ConnectionMultiplexer.ConnectAsync(TestServices.Redis + ",allowAdmin=true,syncTimeout=60000");
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var database = redis.GetDatabase();
        foreach (var key in server.Keys(pattern: fixture.RunId + "*", pageSize: 5000))
        {
            var values = await ValuesAsync(database, key);
            // A key that expired between SCAN and the read (a throttle window, say) has no value left to leak.
            foreach (var value in values.Where(value => value is not null))
            {
                var text = System.Text.Encoding.Latin1.GetString(value);
                leaks.AddRange(secrets.Where(text.Contains).Select(secret => $"redis {key} contains …{secret[^4..]}"));
            }
        }

        return leaks;
    }

    private static async Task<List<byte[]>> ValuesAsync(IDatabase database, RedisKey key)
    {
        var values = new List<byte[]> { System.Text.Encoding.UTF8.GetBytes(key.ToString()) };
        switch (await database.KeyTypeAsync(key))
        {
            case RedisType.String:
                values.Add((byte[])(await database.StringGetAsync(key))!);
                break;
            case RedisType.SortedSet:
                values.AddRange((await database.SortedSetRangeByRankAsync(key)).Select(v => (byte[])v!));
                break;
            case RedisType.List:
                values.AddRange((await database.ListRangeAsync(key)).Select(v => (byte[])v!));
                break;
            case RedisType.Set:
                values.AddRange((await database.SetMembersAsync(key)).Select(v => (byte[])v!));
                break;
            case RedisType.Hash:
                values.AddRange((await database.HashGetAllAsync(key)).SelectMany(e => new[] { (byte[])e.Name!, (byte[])e.Value! }));
                break;
        }

        return values;
    }

    private static string Mask(string line, IEnumerable<string> secrets) =>
        secrets.Aggregate(line, (current, secret) => current.Replace(secret, "[" + secret[^4..] + "]", StringComparison.Ordinal));
}
