using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.BulkTokenization;

/// <summary>Test cards in bulk, uploads, polling, and the checks the bulk tests share.</summary>
internal static class BulkJobs
{
    public static string Ndjson(IEnumerable<string> pans, string referencePrefix = "ref-") =>
        string.Concat(pans.Select((pan, i) =>
            JsonSerializer.Serialize(new { reference = referencePrefix + i, pan, expiryMonth = 12, expiryYear = 2031, cardholderName = "JANE ROE" }) + "\n"));

    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> UploadAsync(
        this HttpClient client, string body, string contentType = "application/x-ndjson", string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tokenization-jobs")
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    public static async Task<string> StartJobAsync(this HttpClient client, string body, string contentType = "application/x-ndjson")
    {
        var (status, json, _) = await client.UploadAsync(body, contentType);
        status.ShouldBe(HttpStatusCode.Accepted, json.ToString());
        return json.GetProperty("jobId").GetString()!;
    }

    /// <summary>The job once it has ended, or as it stands when <paramref name="timeout"/> is up (the caller asserts its status).</summary>
    public static Task<JsonElement> WaitForEndAsync(this HttpClient client, string jobId, TimeSpan timeout) =>
        Eventually.LastAsync(() => client.GetFromJsonAsync<JsonElement>($"/v1/tokenization-jobs/{jobId}"),
            job => job.GetProperty("status").GetString() is "completed" or "cancelled", timeout, TimeSpan.FromMilliseconds(250));

    public static long Count(this JsonElement job, string status) => job.GetProperty("counts").GetProperty(status).GetInt64();

    public static async Task<List<JsonElement>> AllItemsAsync(this HttpClient client, string jobId, string? status = null)
    {
        var items = new List<JsonElement>();
        long? after = 0;
        while (after is not null)
        {
            var page = await client.GetFromJsonAsync<JsonElement>(
                $"/v1/tokenization-jobs/{jobId}/items?limit=1000&after={after}" + (status is null ? "" : "&status=" + status));
            items.AddRange(page.GetProperty("items").EnumerateArray().Select(item => item.Clone()));
            after = page.GetProperty("nextAfter").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextAfter").GetInt64();
        }

        return items;
    }

    /// <summary>
    /// The simulator's log of one operation for one TRID: when each call arrived (the instant MDES counts, and the one
    /// its cap is judged by), and its result; throttled calls (<c>RATE_LIMIT_EXCEEDED</c>) included.
    /// </summary>
    public static async Task<List<(DateTimeOffset At, string Result)>> CallsAsync(this GatewayFixture fixture, string operation, string trid)
    {
        var log = await fixture.Simulator.GetJsonAsync($"/simulator/requests?operation={operation}&limit=10000");
        return [.. log["requests"]!.AsArray()
            .Where(entry => (string?)entry!["tokenRequestorId"] == trid)
            .Select(entry => (entry!["arrivedAt"]!.GetValue<DateTimeOffset>(), (string)entry["result"]!))];
    }

    /// <summary>Every call the simulator counted under one TRID, of every operation (MDES's cap covers them all).</summary>
    public static async Task<List<(DateTimeOffset At, string Operation, string Result)>> ArrivalsAsync(this GatewayFixture fixture, string trid)
    {
        var log = await fixture.Simulator.GetJsonAsync("/simulator/requests?limit=10000");
        return [.. log["requests"]!.AsArray()
            .Where(entry => (string?)entry!["tokenRequestorId"] == trid)
            .Select(entry => (entry!["arrivedAt"]!.GetValue<DateTimeOffset>(), (string)entry["operation"]!, (string)entry["result"]!))];
    }

    /// <summary>
    /// Arrivals per second once the first second's burst (a full cap at once after idle) is over: the arrivals after
    /// first + 1 s, over the time from first + 1 s to the last.
    /// </summary>
    public static double SustainedRate(IEnumerable<DateTimeOffset> timestamps)
    {
        var sorted = timestamps.Order().ToList();
        var steady = sorted[0] + TimeSpan.FromSeconds(1);
        return sorted.Count(t => t > steady) / (sorted[^1] - steady).TotalSeconds;
    }

    /// <summary>
    /// Every text, JSON, array and bytea value of every table, searched for the job's PANs in one pass (16-digit
    /// windows against a set): the fixture's own scan runs a query per secret, too slow for thousands of PANs.
    /// </summary>
    public static async Task<List<string>> FindPansInDatabaseAsync(GatewayFixture fixture, IReadOnlyCollection<string> pans)
    {
        var wanted = pans.ToHashSet();
        var found = new List<string>();
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
            var asText = type == "bytea" ? $"encode(\"{column}\", 'escape')" : $"\"{column}\"::text";
            await using var read = db.CreateCommand($"SELECT {asText} FROM \"{table}\" WHERE \"{column}\" IS NOT NULL");
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var text = reader.GetString(0);
                for (var i = 0; i + 16 <= text.Length; i++)
                {
                    if (char.IsAsciiDigit(text[i]) && wanted.Contains(text.Substring(i, 16)))
                    {
                        found.Add($"{table}.{column} holds …{text.Substring(i + 12, 4)}");
                    }
                }
            }
        }

        return found;
    }

    public static List<string> FindPansInLogs(GatewayFixture fixture, IReadOnlyCollection<string> pans) => FindPansInLines(fixture.Logs.Lines, pans);

    /// <summary>Lines (a log, a gateway process's console) holding any of <paramref name="pans"/>; only the fact is reported, never the line.</summary>
    public static List<string> FindPansInLines(IEnumerable<string> lines, IReadOnlyCollection<string> pans)
    {
        var wanted = pans.ToHashSet();
        return [.. lines.Where(line => Enumerable.Range(0, Math.Max(0, line.Length - 15)).Any(i => wanted.Contains(line.Substring(i, 16))))
            .Select(_ => "a log line holds a job's PAN")];
    }

    /// <summary>A job's items by status, read from the database (what a killed process left behind is not visible through the API).</summary>
    public static async Task<Dictionary<string, long>> ItemStatusesAsync(this GatewayFixture fixture, string jobId)
    {
        await using var db = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        await using var command = db.CreateCommand("SELECT status, count(*) FROM tokenization_job_items WHERE job_id = $1 GROUP BY status");
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.Parse(jobId) });
        var counts = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>A merchant's gateway tokens: settled, still pending, and distinct TURs (a card tokenized twice shows as two).</summary>
    public static async Task<(long Live, long Pending, long Distinct)> GatewayTokensAsync(this GatewayFixture fixture, Guid merchantId)
    {
        await using var db = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        await using var command = db.CreateCommand("""
            SELECT count(*) FILTER (WHERE status <> 'PENDING'), count(*) FILTER (WHERE status = 'PENDING'), count(DISTINCT token_unique_reference)
            FROM gateway_tokens WHERE merchant_id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = merchantId });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>A few of the job's PANs for the fixture's end-of-run scan of logs and Redis (all of them would take minutes).</summary>
    public static void ShareSample(this GatewayFixture fixture, IEnumerable<string> pans)
    {
        foreach (var pan in pans.Take(10))
        {
            fixture.SecretsSeen.Add(pan);
        }
    }
}
