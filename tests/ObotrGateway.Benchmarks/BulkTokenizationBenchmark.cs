using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ObotrGateway.Testing;

namespace ObotrGateway.Benchmarks;

/// <summary>
/// End-to-end bulk tokenization against a running gateway and MDES simulator (deploy/local/run.sh): uploads N
/// fresh Luhn-valid cards as one job, waits for it to end, and reports wall time against the ideal N / cap and
/// the most Tokenize calls the simulator saw in any one-second window (sliding). See docs/benchmarks.md.
/// </summary>
internal static class BulkTokenizationBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = CommandLine.Parse(args);
        var cards = int.Parse(options.GetValueOrDefault("cards", "20000"), CultureInfo.InvariantCulture);
        var tps = int.Parse(options.GetValueOrDefault("tps", "200"), CultureInfo.InvariantCulture);
        var gateway = new Uri(options.GetValueOrDefault("gateway", "http://127.0.0.1:5080"));
        var simulator = new Uri(options.GetValueOrDefault("simulator", "http://127.0.0.1:5081"));
        if (!options.TryGetValue("merchant-key", out var merchantKey) || !options.TryGetValue("trid", out var trid))
        {
            await Console.Error.WriteLineAsync("usage: bulk --merchant-key KEY --trid TRID [--cards 20000] [--tps 200] [--gateway URL] [--simulator URL]");
            return 2;
        }

        using var client = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", merchantKey);
        using var sim = new HttpClient { BaseAddress = simulator };

        var upload = new StringBuilder();
        var seen = new HashSet<string>();
        while (seen.Count < cards)
        {
            var pan = TestPans.Random();
            if (seen.Add(pan))
            {
                upload.Append(CultureInfo.InvariantCulture, $"{{\"reference\":\"bench-{seen.Count}\",\"pan\":\"{pan}\",\"expiryMonth\":12,\"expiryYear\":2031}}\n");
            }
        }

        var calls = new Dictionary<string, DateTimeOffset>();
        var clock = Stopwatch.StartNew();
        using var content = new StringContent(upload.ToString(), Encoding.UTF8, "application/x-ndjson");
        var accepted = await client.PostAsync("/v1/tokenization-jobs", content);
        var body = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        if (!accepted.IsSuccessStatusCode)
        {
            await Console.Error.WriteLineAsync($"upload refused: {(int)accepted.StatusCode} {body}");
            return 1;
        }

        var uploadTime = clock.Elapsed;
        var jobId = body.GetProperty("jobId").GetString();
        JsonElement job;
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            // The simulator answers at most 10,000 log entries per read: read often and merge by requestId.
            await CollectAsync(sim, trid, calls);
            job = await client.GetFromJsonAsync<JsonElement>($"/v1/tokenization-jobs/{jobId}");
            Console.WriteLine($"{clock.Elapsed:mm\\:ss} remaining {job.GetProperty("remaining")} rate {job.GetProperty("currentRate")}/s eta {job.GetProperty("etaSeconds")}");
            if (job.GetProperty("status").GetString() is "completed" or "cancelled")
            {
                break;
            }
        }

        var wall = clock.Elapsed;
        await CollectAsync(sim, trid, calls);
        var ideal = TimeSpan.FromSeconds((double)cards / tps);
        Console.WriteLine($"cards {cards}, cap {tps} TPS, upload {uploadTime.TotalSeconds:F1} s");
        Console.WriteLine($"wall time {wall.TotalSeconds:F1} s vs ideal {ideal.TotalSeconds:F1} s ({wall / ideal:P0})");
        Console.WriteLine($"tokenize calls seen {calls.Count}; max in any one-second window {ArrivalWindows.MaxInAnySecond(calls.Values)}");
        Console.WriteLine($"counts {job.GetProperty("counts")}");
        return 0;
    }

    private static async Task CollectAsync(HttpClient sim, string trid, Dictionary<string, DateTimeOffset> calls)
    {
        var log = await sim.GetFromJsonAsync<JsonElement>("/simulator/requests?operation=tokenize&limit=10000");
        foreach (var entry in log.GetProperty("requests").EnumerateArray())
        {
            if (entry.GetProperty("tokenRequestorId").GetString() == trid && entry.GetProperty("requestId").GetString() is { } requestId)
            {
                calls[requestId] = entry.GetProperty("arrivedAt").GetDateTimeOffset(); // MDES counts arrivals (ADR 0103)
            }
        }
    }
}
