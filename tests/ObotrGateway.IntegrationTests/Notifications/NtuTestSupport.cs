using System.Text.Json;
using Npgsql;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.Testing;

namespace ObotrGateway.IntegrationTests.Notifications;

/// <summary>A gateway token's row as the NTU tests check it.</summary>
internal sealed record TokenRow(
    Guid Id, string Status, string[] SuspendedBy, DateTimeOffset? StatusTimestamp, string PanSuffix, string? TokenPanSuffix,
    string? TokenExpiry, string? ProductConfig, bool RestartRecurringSeries, DateTimeOffset? ArchivedAt, string? TokenUniqueReference);

/// <summary>Database reads and waits shared by the NTU and webhook tests.</summary>
internal static class NtuTestSupport
{
    public static async Task<TokenRow> TokenAsync(this GatewayFixture fixture, string gatewayToken)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT id, status, suspended_by, status_timestamp, pan_suffix, token_pan_suffix, token_expiry, product_config::text,
                   restart_recurring_series, archived_at, token_unique_reference
            FROM gateway_tokens WHERE gateway_token = $1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = gatewayToken });
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue($"{gatewayToken} not found");
        return new TokenRow(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<string[]>(2),
            reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetBoolean(8),
            reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9), reader.IsDBNull(10) ? null : reader.GetString(10));
    }

    public static Task<long> ScalarAsync(this GatewayFixture fixture, string sql, params object[] parameters) =>
        fixture.Database.ScalarAsync(sql, parameters);

    public static async Task<long> ScalarAsync(this TestDatabase database, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>token.updated events in the outbox for one gateway token.</summary>
    public static Task<long> EventCountAsync(this GatewayFixture fixture, Guid gatewayTokenId) =>
        fixture.ScalarAsync("SELECT count(*) FROM webhook_outbox WHERE gateway_token_id = $1", gatewayTokenId);

    /// <summary>
    /// Adds a card, waits until it is ACTIVE and MDES's activation NTU has been processed ('unchanged' when the refresh
    /// in AddActiveCardAsync applied the activation first), so later counts start from a settled state.
    /// </summary>
    public static async Task<(string Token, string Tur, Guid Id)> AddSettledActiveCardAsync(this GatewayFixture fixture, HttpClient client,
        string pan, TimeSpan? timeout = null)
    {
        var token = await client.AddActiveCardAsync(pan);
        var row = await fixture.TokenAsync(token);
        await Eventually.TrueAsync(
            async () => await fixture.ScalarAsync(
                "SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = $1 AND state IN ('applied', 'unchanged')",
                row.TokenUniqueReference!) >= 1,
            timeout ?? TimeSpan.FromSeconds(15), "activation NTU not processed");
        return (token, row.TokenUniqueReference!, row.Id);
    }

    public static Task<TokenRow> WaitForTokenAsync(this GatewayFixture fixture, string gatewayToken, Func<TokenRow, bool> condition,
        TimeSpan? timeout = null) =>
        Eventually.ReachesAsync(() => fixture.TokenAsync(gatewayToken), condition, timeout ?? TimeSpan.FromSeconds(15),
            last => $"{gatewayToken} did not reach the expected state; last: {last}");

    /// <summary>A fresh Luhn-valid PAN in the simulator's APPROVED range, registered with the leak scan.</summary>
    public static string FreshApprovedPan(this GatewayFixture fixture)
    {
        var pan = TestPans.Random(TestPans.ApprovedRange);
        fixture.SecretsSeen.Add(pan);
        return pan;
    }

    public static string Json(object value) => JsonSerializer.Serialize(value);
}
