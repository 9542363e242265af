using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using ObotrGateway.Testing;

namespace ObotrGateway.Benchmarks;

/// <summary>Gateway tokens for the end-to-end commands, made through the merchant API like a merchant would.</summary>
internal static class GatewayTokenSetup
{
    /// <summary>Add-card through the merchant API (under the TRID's TPS cap: a 503 is retried after Retry-After).</summary>
    public static async Task<List<string>> CreateTokensAsync(HttpClient merchant, int count)
    {
        var created = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, cancellationToken) =>
        {
            var card = new { card = new { pan = TestPans.Random(), expiryMonth = 12, expiryYear = 2031, securityCode = "123" } };
            for (var attempt = 1; ; attempt++)
            {
                using var response = await merchant.PostAsJsonAsync("/v1/gateway-tokens", card, cancellationToken);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                    created.Add(body.GetProperty("gatewayToken").GetString()!);
                    return;
                }

                if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 20)
                {
                    throw new InvalidOperationException(
                        $"add card answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }

                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancellationToken);
            }
        });
        return [.. created];
    }

    /// <summary>
    /// Waits until MDES's activation NTU has made every token ACTIVE and returns each one's TUR, read from the
    /// gateway's table (the merchant API never shows TURs): the benchmark then starts from a settled state.
    /// </summary>
    public static async Task<Dictionary<string, string>> WaitForActiveAsync(NpgsqlDataSource db, List<string> gatewayTokens, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var turs = new Dictionary<string, string>();
            await using (var command = db.CreateCommand(
                "SELECT gateway_token, token_unique_reference FROM gateway_tokens WHERE gateway_token = ANY($1) AND status = 'ACTIVE'"))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = gatewayTokens.ToArray() });
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    turs[reader.GetString(0)] = reader.GetString(1);
                }
            }

            if (turs.Count == gatewayTokens.Count)
            {
                return turs;
            }

            if (deadline.Elapsed > timeout)
            {
                throw new InvalidOperationException($"only {turs.Count} of {gatewayTokens.Count} tokens became ACTIVE within {timeout}");
            }

            await Task.Delay(500);
        }
    }
}
