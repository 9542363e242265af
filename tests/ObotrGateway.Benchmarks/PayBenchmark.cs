using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using StackExchange.Redis;

namespace ObotrGateway.Benchmarks;

/// <summary>
/// POST /v1/payments with a gateway token against a running gateway (deploy/local/run.sh), issue 16, next to a
/// same-run baseline (<see cref="BarePayment"/>) making the same round trips. First closed loop (the most each
/// completes), then open loop at half of the gateway's maximum (latency percentiles from each request's due time).
/// Phases alternate baseline, gateway, baseline, gateway… so background load falls on both. See docs/benchmarks.md.
/// </summary>
internal static class PayBenchmark
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = CommandLine.Parse(args);
        if (!options.TryGetValue("merchant-key", out var merchantKey) || !options.TryGetValue("database", out var database)
            || !options.TryGetValue("gateway", out var gatewayUrl) || !options.TryGetValue("simulator", out var simulatorUrl))
        {
            await Console.Error.WriteLineAsync("usage: pay --gateway URL --merchant-key KEY --database \"Host=…;Database=…;Username=…;Password=…\" "
                + "--simulator URL [--seconds 20] [--rounds 2] [--warmup 3] [--tokens 50] [--concurrency 16] "
                + "[--redis 127.0.0.1:6379] [--redis-prefix obotr:] [--gateway-pid PID] [--simulator-pid PID]");
            return 2;
        }

        var seconds = CommandLine.Int(options, "seconds", 20);
        var rounds = CommandLine.Int(options, "rounds", 2);
        var warmup = CommandLine.Int(options, "warmup", 3);
        var tokenCount = CommandLine.Int(options, "tokens", 50);
        var concurrency = CommandLine.Int(options, "concurrency", 16);
        var redisPrefix = options.GetValueOrDefault("redis-prefix", "obotr:");
        int? gatewayPid = options.TryGetValue("gateway-pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null;
        int? simulatorPid = options.TryGetValue("simulator-pid", out var simPid) ? int.Parse(simPid, CultureInfo.InvariantCulture) : null;
        var gateway = new Uri(gatewayUrl);

        using var merchant = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(2) };
        merchant.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", merchantKey);
        await using var db = NpgsqlDataSource.Create(database);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options.GetValueOrDefault("redis", "127.0.0.1:6379"));
        Console.WriteLine($"load average at start: {CommandLine.LoadAverage()}");

        var clock = Stopwatch.StartNew();
        var created = await GatewayTokenSetup.CreateTokensAsync(merchant, tokenCount);
        var tokens = await GatewayTokenSetup.WaitForActiveAsync(db, created, TimeSpan.FromMinutes(2));
        var turs = tokens.Values.ToList();
        // The gateway stocks a vault only after a take (a payment asks for the refill), so one payment per token first.
        await PrimeVaultsAsync(merchant, tokens.Keys);
        var stocked = await WaitForVaultsAsync(redis.GetDatabase(), redisPrefix, turs, TimeSpan.FromMinutes(3));
        Console.WriteLine($"{tokens.Count} tokens ACTIVE, {stocked} cryptograms in their vaults, in {clock.Elapsed.TotalSeconds:F1} s");

        // One body per token, serialized before the first send; requests go round-robin over the tokens.
        var bodies = tokens.Keys.Select(token => JsonSerializer.SerializeToUtf8Bytes(new { gatewayToken = token, amount = 1000, currency = "EUR" })).ToArray();
        await using var baseline = await BarePayment.StartAsync(database, redis, redisPrefix + "paybench-baseline:", new Uri(simulatorUrl.TrimEnd('/') + "/"));
        using var client = new HttpClient { Timeout = RequestTimeout };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", merchantKey);
        var real = new Uri(gateway, "/v1/payments");
        var memory = new List<string>();
        var cpuPerPayment = new List<double>();

        async Task<PhaseResult> Phase(string name, Uri target, int? rate, int phaseSeconds)
        {
            if (target == real)
            {
                // Every gateway phase starts with full vaults, as a steady stream of payments spread over many tokens would see.
                await WaitForVaultsAsync(redis.GetDatabase(), redisPrefix, turs, TimeSpan.FromMinutes(3));
            }
            else
            {
                // Enough for the phase whatever its rate (closed loop: up to 2,000/s).
                await baseline.StockAsync(turs, (rate ?? 2000) * phaseSeconds / turs.Count + 2);
            }

            var cpuBefore = gatewayPid is { } before && target == real ? ProcessStats.Cpu(before) : null;
            var simulatorBefore = simulatorPid is { } sim && target == real ? ProcessStats.Cpu(sim) : null;
            var send = (int i, Due due) => SendAsync(client, target, bodies[i % bodies.Length], due);
            PhaseResult result;
            if (rate is { } r)
            {
                result = PhaseResult.Of(name, r, [.. await OpenLoop.DriveAsync(r * phaseSeconds, r, send)], TimeSpan.FromSeconds(phaseSeconds));
            }
            else
            {
                var (samples, elapsed) = await OpenLoop.ClosedAsync(concurrency, TimeSpan.FromSeconds(phaseSeconds), send);
                result = PhaseResult.Of(name, null, samples, elapsed);
            }

            if (target == real && gatewayPid is { } p)
            {
                var requestPath = ProcessStats.Cpu(p) - cpuBefore;
                // The refills these payments asked for run after the phase too (a closed loop outruns them): charged to the
                // phase by waiting until the vaults are stocked again and idle for 3 s (a little idle CPU comes with it).
                await WaitForVaultsAsync(redis.GetDatabase(), redisPrefix, turs, TimeSpan.FromMinutes(3));
                var withRefills = ProcessStats.Cpu(p) - cpuBefore;
                var simulator = simulatorPid is { } sp ? ProcessStats.Cpu(sp) - simulatorBefore : null;
                if (withRefills is { } all && result.Ok > 0)
                {
                    cpuPerPayment.Add(all.TotalMilliseconds / result.Ok);
                }

                memory.Add($"after {name}: {ProcessStats.Memory(p)}; CPU per 201: gateway {ProcessStats.PerOperation(requestPath, result.Ok)} "
                    + $"during the phase, {ProcessStats.PerOperation(withRefills, result.Ok)} with its refills; "
                    + $"simulator {ProcessStats.PerOperation(simulator, result.Ok)} with the refills");
            }

            await baseline.DeleteVaultsAsync(turs);
            return result;
        }

        var results = new List<PhaseResult>();
        await Phase("warm-up baseline", baseline.Address, null, warmup);
        await Phase("warm-up gateway", real, null, warmup);
        for (var round = 1; round <= rounds; round++)
        {
            results.Add(await Phase($"closed baseline {round}", baseline.Address, null, seconds));
            results.Add(await Phase($"closed gateway {round}", real, null, seconds));
        }

        var maxGateway = Throughput(results, "closed gateway");
        var maxBaseline = Throughput(results, "closed baseline");
        var rateHalf = Math.Max(1, (int)(maxGateway / 2));
        for (var round = 1; round <= rounds; round++)
        {
            results.Add(await Phase($"open baseline {round}", baseline.Address, rateHalf, seconds));
            results.Add(await Phase($"open gateway {round}", real, rateHalf, seconds));
        }

        Console.WriteLine($"load average at end: {CommandLine.LoadAverage()}");
        Console.WriteLine($"{tokens.Count} tokens, {seconds} s per phase, {rounds} rounds (+{warmup} s closed-loop warm-up each side); "
            + $"closed loop {concurrency} callers; open loop at {rateHalf}/s (half the gateway's maximum), latencies from each request's due time");
        var openBaseline = PhaseResult.Combine("open baseline", results.Where(r => r.Name.StartsWith("open baseline", StringComparison.Ordinal)).ToList());
        var openGateway = PhaseResult.Combine("open gateway", results.Where(r => r.Name.StartsWith("open gateway", StringComparison.Ordinal)).ToList());
        Report([.. results, openBaseline, openGateway]);
        Console.WriteLine();
        Console.WriteLine($"closed loop: gateway {maxGateway:F0}/s, baseline {maxBaseline:F0}/s (mean over rounds)");
        Console.WriteLine(gatewayPid is null
            ? "gateway resident memory and CPU: not measured (pass --gateway-pid)"
            : $"gateway process:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", memory)}");
        var ratio = maxGateway / maxBaseline;
        var added = OpenLoop.Percentile(openGateway.Latencies, 0.99) - OpenLoop.Percentile(openBaseline.Latencies, 0.99);
        // The gateway's CPU per payment (refills included), median over its phases: the judging measure on a shared machine.
        var cpuMedian = cpuPerPayment.Count == 0 ? double.NaN : OpenLoop.Percentile([.. cpuPerPayment.Order()], 0.50);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT pay throughput_ratio={ratio:F2} p99_added_ms={added:F1} gateway_cpu_ms={cpuMedian:F2}"));
        return results.Any(r => r.Errors.Count > 0) ? 1 : 0;
    }

    private static double Throughput(List<PhaseResult> results, string prefix) =>
        results.Where(r => r.Name.StartsWith(prefix, StringComparison.Ordinal)).Average(r => r.Throughput);

    private static async Task<PaySample> SendAsync(HttpClient client, Uri target, byte[] body, Due due)
    {
        var lag = Stopwatch.GetElapsedTime(due.Timestamp);
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(target, content);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                return new PaySample(lag, Stopwatch.GetElapsedTime(due.Timestamp), false, $"HTTP {(int)response.StatusCode}");
            }

            var payment = await response.Content.ReadFromJsonAsync<JsonElement>();
            return new PaySample(lag, Stopwatch.GetElapsedTime(due.Timestamp), payment.GetProperty("status").GetString() == "declined", null);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            return new PaySample(lag, Stopwatch.GetElapsedTime(due.Timestamp), false, exception.GetType().Name);
        }
    }

    private static async Task PrimeVaultsAsync(HttpClient merchant, IEnumerable<string> gatewayTokens) =>
        await Parallel.ForEachAsync(gatewayTokens, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (token, cancellationToken) =>
        {
            using var response = await merchant.PostAsJsonAsync("/v1/payments", new { gatewayToken = token, amount = 1000, currency = "EUR" }, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException(
                    $"the first payment answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        });

    /// <summary>
    /// Waits until the gateway's refills have stocked every token's vault: each holds at least one cryptogram and the
    /// total has not grown for three seconds (the prefill is the gateway's setting, not known here). Returns the total.
    /// </summary>
    private static async Task<long> WaitForVaultsAsync(IDatabase redis, string prefix, List<string> turs, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        long previous = -1;
        var steady = 0;
        while (true)
        {
            var counts = await Task.WhenAll(turs.Select(tur => redis.SortedSetLengthAsync($"{prefix}cryptograms:{{{tur}}}")));
            var total = counts.Sum();
            steady = counts.All(c => c > 0) && total == previous ? steady + 1 : 0;
            if (steady >= 3)
            {
                return total;
            }

            if (deadline.Elapsed > timeout)
            {
                throw new InvalidOperationException($"the vaults did not fill within {timeout}: {total} cryptograms, {counts.Count(c => c == 0)} tokens empty");
            }

            previous = total;
            await Task.Delay(1000);
        }
    }

    private static void Report(List<PhaseResult> results)
    {
        Console.WriteLine();
        Console.WriteLine($"{"phase",-18} {"rate",6} {"sent",7} {"201",7} {"declined",8} {"errors",6} {"done/s",7} {"p50",9} {"p99",9} {"max",9} {"max lag",9}");
        foreach (var result in results)
        {
            Console.WriteLine($"{result.Name,-18} {(result.Rate is { } r ? r.ToString(CultureInfo.InvariantCulture) : "closed"),6} {result.Sent,7} {result.Ok,7} "
                + $"{result.Declined,8} {result.Errors.Values.Sum(),6} {result.Throughput,7:F0} {OpenLoop.Ms(result.Latencies, 0.50),9} "
                + $"{OpenLoop.Ms(result.Latencies, 0.99),9} {OpenLoop.Ms(result.Latencies, 1),9} {result.MaxLag.TotalMilliseconds,7:F1}ms");
        }

        foreach (var result in results.Where(r => r.Errors.Count > 0))
        {
            Console.WriteLine($"errors in {result.Name}: {string.Join(", ", result.Errors.Select(e => $"{e.Key} × {e.Value}"))}");
        }
    }

    private sealed record PaySample(TimeSpan Lag, TimeSpan Latency, bool Declined, string? Error);

    /// <summary>One phase's numbers; latencies of the 201s in milliseconds, ascending. Throughput is 201s per second.</summary>
    private sealed record PhaseResult(string Name, int? Rate, int Sent, int Ok, int Declined, Dictionary<string, int> Errors,
        List<double> Latencies, TimeSpan MaxLag, double Throughput)
    {
        public static PhaseResult Of(string name, int? rate, List<PaySample> samples, TimeSpan elapsed)
        {
            var ok = samples.Where(s => s.Error is null).ToList();
            var errors = samples.Where(s => s.Error is not null).GroupBy(s => s.Error!).ToDictionary(g => g.Key, g => g.Count());
            return new PhaseResult(name, rate, samples.Count, ok.Count, ok.Count(s => s.Declined), errors,
                [.. ok.Select(s => s.Latency.TotalMilliseconds).Order()], samples.Count == 0 ? TimeSpan.Zero : samples.Max(s => s.Lag),
                ok.Count / elapsed.TotalSeconds);
        }

        public static PhaseResult Combine(string name, List<PhaseResult> phases) =>
            new(name, phases.FirstOrDefault()?.Rate, phases.Sum(p => p.Sent), phases.Sum(p => p.Ok), phases.Sum(p => p.Declined),
                phases.SelectMany(p => p.Errors).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Sum(e => e.Value)),
                [.. phases.SelectMany(p => p.Latencies).Order()], phases.Count == 0 ? TimeSpan.Zero : phases.Max(p => p.MaxLag),
                phases.Count == 0 ? 0 : phases.Average(p => p.Throughput));
    }
}
