using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using ObotrGateway.IntegrationTests.Infrastructure;

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
        await WaitUntilAsync(
            async () => await fixture.ScalarAsync(
                "SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = $1 AND state IN ('applied', 'unchanged')",
                row.TokenUniqueReference!) >= 1,
            timeout ?? TimeSpan.FromSeconds(15), "activation NTU not processed");
        return (token, row.TokenUniqueReference!, row.Id);
    }

    public static async Task<TokenRow> WaitForTokenAsync(this GatewayFixture fixture, string gatewayToken, Func<TokenRow, bool> condition,
        TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var row = await fixture.TokenAsync(gatewayToken);
            if (condition(row))
            {
                return row;
            }

            if (waited.Elapsed > limit)
            {
                throw new TimeoutException($"{gatewayToken} did not reach the expected state; last: {row}");
            }

            await Task.Delay(100);
        }
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException(what);
            }

            await Task.Delay(100);
        }
    }

    /// <summary>A fresh Luhn-valid PAN in the simulator's APPROVED range, registered with the leak scan.</summary>
    public static string FreshApprovedPan(this GatewayFixture fixture)
    {
        var body = "52047300001" + string.Concat(Enumerable.Range(0, 4).Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10))));
        var pan = body + LuhnDigit(body);
        fixture.SecretsSeen.Add(pan);
        return pan;
    }

    private static char LuhnDigit(string body)
    {
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var digit = body[body.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    public static string Json(object value) => JsonSerializer.Serialize(value);
}
