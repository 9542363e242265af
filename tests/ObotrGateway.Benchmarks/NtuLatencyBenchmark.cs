using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.Encryption;
using ObotrGateway.Api.Mdes.Wire;
using ObotrGateway.Api.Notifications;

namespace ObotrGateway.Benchmarks;

/// <summary>
/// Notify Token Updated against a running gateway (deploy/local/run.sh), issue 6: ack latency (send → 200) and
/// applied latency (send → <c>ntu_inbox.processed_at</c>) at a steady open-loop rate, next to a same-run baseline
/// (<see cref="BareNtuInbox"/>) driven with the identical schedule and bodies. Phases alternate baseline, real,
/// baseline, real… so background load on the machine falls on both. See docs/benchmarks.md.
/// </summary>
internal static class NtuLatencyBenchmark
{
    // What deploy/local/run.sh generates into .local/keys: the gateway's (token requestor's) encryption key pair.
    private const string GatewayEncryptionCertificate = "tr-encryption.crt";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = CommandLine.Parse(args);
        if (!options.TryGetValue("merchant-key", out var merchantKey) || !options.TryGetValue("keys", out var keys)
            || !options.TryGetValue("database", out var database))
        {
            await Console.Error.WriteLineAsync("usage: ntu --merchant-key KEY --keys .local/keys --database \"Host=…;Database=…;Username=…;Password=…\" "
                + "[--rate 50] [--seconds 60] [--rounds 2] [--warmup 5] [--tokens 100] [--gateway http://127.0.0.1:5080] [--drain-timeout 60] "
                + "[--floor-seconds 10] [--floor-workers 16] [--ramp 100,150,200,300,400] [--ramp-seconds 20] [--gateway-pid PID]");
            return 2;
        }

        var rate = CommandLine.Int(options, "rate", 50);
        var seconds = CommandLine.Int(options, "seconds", 60);
        var rounds = CommandLine.Int(options, "rounds", 2);
        var warmup = CommandLine.Int(options, "warmup", 5);
        var tokenCount = CommandLine.Int(options, "tokens", 100);
        var drainTimeout = TimeSpan.FromSeconds(CommandLine.Int(options, "drain-timeout", 60));
        var gateway = new Uri(options.GetValueOrDefault("gateway", "http://127.0.0.1:5080"));
        var floorSeconds = CommandLine.Int(options, "floor-seconds", 10);
        var floorWorkers = CommandLine.Int(options, "floor-workers", 16);
        // "none" skips the search (e.g. when only the fixed-rate rounds are compared, as for tracing on and off).
        var ramp = options.GetValueOrDefault("ramp", "100,150,200,300,400") is "none" ? []
            : options.GetValueOrDefault("ramp", "100,150,200,300,400").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToList();
        var rampSeconds = CommandLine.Int(options, "ramp-seconds", 20);
        int? gatewayPid = options.TryGetValue("gateway-pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null;

        using var merchant = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(2) };
        merchant.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", merchantKey);
        await using var db = NpgsqlDataSource.Create(database);
        Console.WriteLine($"load average at start: {CommandLine.LoadAverage()}");

        var trid = (await merchant.GetFromJsonAsync<JsonElement>("/v1/merchant")).GetProperty("tokenRequestorId").GetString()!;
        var clock = Stopwatch.StartNew();
        var gatewayTokens = await GatewayTokenSetup.CreateTokensAsync(merchant, tokenCount);
        var turs = (await GatewayTokenSetup.WaitForActiveAsync(db, gatewayTokens, TimeSpan.FromMinutes(2))).Values.ToList();
        Console.WriteLine($"{turs.Count} tokens ACTIVE for TRID {trid} in {clock.Elapsed.TotalSeconds:F1} s");

        // Everything is encrypted before the first send, so encryption never competes with the load.
        var runId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var writer = new NtuWriter(Path.Combine(keys, GatewayEncryptionCertificate), trid, turs, runId);
        var warmupMessages = writer.Next(rate * warmup);
        var phases = Enumerable.Range(1, rounds).Select(_ => writer.Next(rate * seconds)).ToList();
        Console.WriteLine($"{writer.Plaintexts.Count} NTUs encrypted; run {runId}");

        await using var baseline = await BareNtuInbox.StartAsync(database, writer.Plaintexts);
        using var client = new HttpClient { Timeout = RequestTimeout };
        var real = new Uri(gateway, NotifyTokenUpdatedEndpoints.Route);

        // The floor first, before the gateway has done anything in this run: at most 1,000/s is encrypted for.
        var floorMessages = writer.Next(1000 * floorSeconds);
        var floor = await NtuFloor.MeasureAsync(keys, baseline.Inbox, floorMessages, floorWorkers, TimeSpan.FromSeconds(floorSeconds));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"floor (decrypt + inbox insert, {floorWorkers} callers, no web stack): "
            + $"{floor.Count} NTUs in {floor.Elapsed.TotalSeconds:F1} s = {floor.Rate:F0}/s, CPU {ProcessStats.PerOperation(floor.Cpu, floor.Count)} per NTU "
            + $"(load average {CommandLine.LoadAverage()})"));

        var results = new List<PhaseResult>();
        var cpuPerNtu = new List<double>();
        for (var round = 0; round <= rounds; round++)
        {
            // Round 0 is the warm-up (JIT, connection pools, first plans): run like the others, not reported.
            var messages = round == 0 ? warmupMessages : phases[round - 1];
            var baselineSamples = await DriveAsync(client, baseline.Address, messages, rate);
            var cpuBefore = gatewayPid is { } p ? ProcessStats.Cpu(p) : null;
            var realSamples = await DriveAsync(client, real, messages, rate);
            var applied = await WaitForAppliedAsync(db, realSamples, drainTimeout);
            // Acknowledging and applying, as far as this gateway process does it (the hand-off, the consumer and webhooks too).
            if (round > 0 && gatewayPid is { } q && ProcessStats.Cpu(q) - cpuBefore is { } cpu)
            {
                cpuPerNtu.Add(cpu.TotalMilliseconds / messages.Count);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: gateway CPU {cpu.TotalMilliseconds / messages.Count:F2} ms per NTU (acked and applied)"));
            }

            if (round > 0)
            {
                results.Add(PhaseResult.Of($"baseline {round}", baselineSamples, null));
                results.Add(PhaseResult.Of($"real {round}", realSamples, applied));
            }
        }

        Console.WriteLine($"load average after the rounds: {CommandLine.LoadAverage()}");
        Console.WriteLine($"rate {rate} NTU/s open loop, {seconds} s per phase, {rounds} rounds (+{warmup} s warm-up), {turs.Count} tokens, "
            + "latencies from each request's scheduled send time");
        Report(results, rate * seconds);

        var maxRate = await RampAsync(client, real, db, writer, ramp, rampSeconds, drainTimeout);
        var cpuMedian = cpuPerNtu.Count == 0 ? double.NaN : OpenLoop.Percentile([.. cpuPerNtu.Order()], 0.50);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max sustainable {maxRate}/s = {maxRate / floor.Rate:P0} of the floor ({floor.Rate:F0}/s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT ntu max_rate={maxRate} floor_rate={floor.Rate:F0} gateway_cpu_ms={cpuMedian:F2}"));
        return results.Any(r => r.Errors.Count > 0 || r.Unprocessed > 0) ? 1 : 0;
    }

    /// <summary>
    /// The gateway's maximum sustainable rate: each step drives the real endpoint open loop at one rate; it holds when
    /// every NTU got its 200, every acknowledged one was processed within the drain timeout and the applied p99 is under
    /// a second. Steps run in the order given and stop at the first that does not hold; the last that held is the result.
    /// </summary>
    private static async Task<int> RampAsync(HttpClient client, Uri real, NpgsqlDataSource db, NtuWriter writer, List<int> rates, int seconds,
        TimeSpan drainTimeout)
    {
        var held = 0;
        foreach (var rate in rates)
        {
            var messages = writer.Next(rate * seconds);
            var samples = await DriveAsync(client, real, messages, rate);
            var step = PhaseResult.Of($"ramp {rate}/s", samples, await WaitForAppliedAsync(db, samples, drainTimeout));
            var p99 = OpenLoop.Percentile(step.Applied!, 0.99);
            var holds = step.Errors.Count == 0 && step.Unprocessed == 0 && p99 < 1000;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ramp {rate}/s for {seconds} s: {step.Ok}/{step.Sent} acked, {step.Unprocessed} unprocessed, ack p99 {OpenLoop.Ms(step.Ack, 0.99)}, "
                + $"applied p50 {OpenLoop.Ms(step.Applied!, 0.50)} p99 {OpenLoop.Ms(step.Applied!, 0.99)} → {(holds ? "holds" : "does not hold")} "
                + $"(load average {CommandLine.LoadAverage()})"));
            if (!holds)
            {
                break;
            }

            held = rate;
        }

        return held;
    }

    /// <summary>Open loop (<see cref="OpenLoop.DriveAsync"/>): latencies count from each NTU's due time.</summary>
    private static Task<AckSample[]> DriveAsync(HttpClient client, Uri target, List<NtuMessage> messages, int rate) =>
        OpenLoop.DriveAsync(messages.Count, rate, (i, due) => SendAsync(client, target, messages[i], due.Timestamp, due.Utc));

    private static async Task<AckSample> SendAsync(HttpClient client, Uri target, NtuMessage message, long due, DateTime dueUtc)
    {
        var lag = Stopwatch.GetElapsedTime(due);
        try
        {
            using var content = new ByteArrayContent(message.Body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(target, content);
            var latency = Stopwatch.GetElapsedTime(due);
            return new AckSample(message.RequestId, dueUtc, lag, latency, response.StatusCode == HttpStatusCode.OK ? null : $"HTTP {(int)response.StatusCode}");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return new AckSample(message.RequestId, dueUtc, lag, Stopwatch.GetElapsedTime(due), exception.GetType().Name);
        }
    }

    /// <summary>
    /// Waits until every acknowledged NTU's row is processed (or the timeout passes), then reads the rows.
    /// processed_at is written by the gateway from the same machine clock the send times come from.
    /// </summary>
    private static async Task<List<InboxRow>> WaitForAppliedAsync(NpgsqlDataSource db, AckSample[] samples, TimeSpan timeout)
    {
        var acknowledged = samples.Where(s => s.Error is null).Select(s => s.RequestId).ToArray();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var rows = new List<InboxRow>();
            await using (var command = db.CreateCommand("SELECT request_id, state, processed_at FROM ntu_inbox WHERE request_id = ANY($1)"))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = acknowledged });
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    rows.Add(new InboxRow(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetDateTime(2)));
                }
            }

            if (rows.Count(r => r.ProcessedAt is not null) >= acknowledged.Length || deadline.Elapsed > timeout)
            {
                return rows;
            }

            await Task.Delay(500);
        }
    }

    private static void Report(List<PhaseResult> results, int perPhase)
    {
        var all = new[] { "baseline", "real" }
            .Select(kind => PhaseResult.Combine($"all {kind}", results.Where(r => r.Name.StartsWith(kind, StringComparison.Ordinal)).ToList()))
            .ToList();
        Console.WriteLine();
        Console.WriteLine($"{"phase",-12} {"sent",6} {"200",6} {"errors",6} {"ack p50",9} {"ack p99",9} {"ack max",9} {"max lag",9} "
            + $"{"applied",7} {"stale",5} {"unproc",6} {"appl p50",9} {"appl p99",9} {"appl max",9}");
        foreach (var result in results.Concat(all))
        {
            Console.WriteLine($"{result.Name,-12} {result.Sent,6} {result.Ok,6} {result.Errors.Values.Sum(),6} {OpenLoop.Ms(result.Ack, 0.50),9} "
                + $"{OpenLoop.Ms(result.Ack, 0.99),9} {OpenLoop.Ms(result.Ack, 1),9} {result.MaxLag.TotalMilliseconds,7:F1}ms "
                + (result.Applied is null
                    ? $"{"-",7} {"-",5} {"-",6} {"-",9} {"-",9} {"-",9}"
                    : $"{result.AppliedCount,7} {result.StaleCount,5} {result.Unprocessed,6} {OpenLoop.Ms(result.Applied, 0.50),9} {OpenLoop.Ms(result.Applied, 0.99),9} {OpenLoop.Ms(result.Applied, 1),9}"));
        }

        Console.WriteLine();
        Console.WriteLine($"ack ratio real/baseline: p50 {OpenLoop.Percentile(all[1].Ack, 0.50) / OpenLoop.Percentile(all[0].Ack, 0.50):F2}, "
            + $"p99 {OpenLoop.Percentile(all[1].Ack, 0.99) / OpenLoop.Percentile(all[0].Ack, 0.99):F2}  ({perPhase} NTUs per phase)");
        foreach (var result in results.Where(r => r.Errors.Count > 0))
        {
            Console.WriteLine($"errors in {result.Name}: {string.Join(", ", result.Errors.Select(e => $"{e.Key} × {e.Value}"))}");
        }
    }

    private sealed record AckSample(string RequestId, DateTime DueUtc, TimeSpan Lag, TimeSpan Latency, string? Error);

    private sealed record InboxRow(string RequestId, string State, DateTime? ProcessedAt);

    /// <summary>One phase's numbers; latency lists in milliseconds, ascending. Applied is null for the baseline.</summary>
    private sealed record PhaseResult(string Name, int Sent, int Ok, Dictionary<string, int> Errors, List<double> Ack, TimeSpan MaxLag,
        List<double>? Applied, int AppliedCount, int StaleCount, int Unprocessed)
    {
        public static PhaseResult Of(string name, AckSample[] samples, List<InboxRow>? rows)
        {
            var ok = samples.Where(s => s.Error is null).ToList();
            var errors = samples.Where(s => s.Error is not null).GroupBy(s => s.Error!).ToDictionary(g => g.Key, g => g.Count());
            List<double>? applied = null;
            int appliedCount = 0, staleCount = 0, unprocessed = 0;
            if (rows is not null)
            {
                var due = ok.ToDictionary(s => s.RequestId, s => s.DueUtc);
                var processed = rows.Where(r => r.ProcessedAt is not null).ToList();
                applied = [.. processed.Select(r => (r.ProcessedAt!.Value - due[r.RequestId]).TotalMilliseconds).Order()];
                appliedCount = processed.Count(r => r.State == NtuInboxStates.Applied);
                staleCount = processed.Count(r => r.State == NtuInboxStates.Stale);
                unprocessed = ok.Count - processed.Count;
            }

            return new PhaseResult(name, samples.Length, ok.Count, errors, [.. ok.Select(s => s.Latency.TotalMilliseconds).Order()],
                samples.Length == 0 ? TimeSpan.Zero : samples.Max(s => s.Lag), applied, appliedCount, staleCount, unprocessed);
        }

        public static PhaseResult Combine(string name, List<PhaseResult> phases)
        {
            var errors = phases.SelectMany(p => p.Errors).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Sum(e => e.Value));
            var applied = phases.Any(p => p.Applied is not null) ? phases.SelectMany(p => p.Applied ?? []).Order().ToList() : null;
            return new PhaseResult(name, phases.Sum(p => p.Sent), phases.Sum(p => p.Ok), errors, [.. phases.SelectMany(p => p.Ack).Order()],
                phases.Count == 0 ? TimeSpan.Zero : phases.Max(p => p.MaxLag), applied, phases.Sum(p => p.AppliedCount),
                phases.Sum(p => p.StaleCount), phases.Sum(p => p.Unprocessed));
        }
    }
}

/// <summary>One NTU as MDES would send it: the encrypted body.</summary>
internal sealed record NtuMessage(string RequestId, byte[] Body);

/// <summary>
/// Writes NTUs the way MDES does, with the gateway's own field-level encryption pointed at the gateway's public key:
/// one token update each, round-robin over the TURs, every TUR alternating SUSPENDED / ACTIVE with strictly
/// increasing statusTimestamps (so, applied in order, none is stale), each with a fresh requestId.
/// </summary>
internal sealed class NtuWriter
{
    private readonly FieldLevelEncryption _mdes;
    private readonly string _trid;
    private readonly IReadOnlyList<string> _turs;
    private readonly string _runId;
    private readonly DateTimeOffset _epoch = DateTimeOffset.UtcNow;
    private readonly Dictionary<string, IReadOnlyList<MdesToken>> _plaintexts = [];
    private int _sequence;

    public NtuWriter(string gatewayCertificatePath, string trid, IReadOnlyList<string> turs, string runId)
    {
        // MDES's side of the key ring: it encrypts to the gateway's certificate; it signs and decrypts nothing here.
        var certificate = MdesKeyLoader.LoadCertificateFile(gatewayCertificatePath);
        var ring = new MdesKeyRing(RSA.Create(), certificate, [], MdesOaepDigest.Sha512, MdesFingerprintType.Certificate);
        _mdes = new FieldLevelEncryption(ring);
        _trid = trid;
        _turs = turs;
        _runId = runId;
    }

    public IReadOnlyDictionary<string, IReadOnlyList<MdesToken>> Plaintexts => _plaintexts;

    public List<NtuMessage> Next(int count)
    {
        var messages = new List<NtuMessage>(count);
        for (var i = 0; i < count; i++, _sequence++)
        {
            var suspend = _sequence / _turs.Count % 2 == 0;
            var token = new JsonObject
            {
                ["tokenUniqueReference"] = _turs[_sequence % _turs.Count],
                ["tokenRequestorId"] = _trid,
                ["status"] = suspend ? "SUSPENDED" : "ACTIVE",
                ["eventReasonCode"] = suspend ? "SUSPECTED_FRAUD" : "NOT_FRAUD",
                ["statusTimestamp"] = _epoch.AddMilliseconds(_sequence).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
            };
            if (suspend)
            {
                token["suspendedBy"] = new JsonArray("ISSUER");
            }

            var requestId = $"ntubench-{_runId}-{_sequence}";
            var body = new JsonObject
            {
                ["responseHost"] = "site1.mastercard.test",
                ["requestId"] = requestId,
                ["encryptedPayload"] = new JsonObject { ["encryptedData"] = new JsonObject { ["tokens"] = new JsonArray(token) } },
            };
            _mdes.EncryptPath(body, "encryptedPayload.encryptedData", "encryptedPayload");
            _plaintexts[requestId] = [token.Deserialize<MdesToken>(MdesJson.Options)!];
            messages.Add(new NtuMessage(requestId, JsonSerializer.SerializeToUtf8Bytes(body)));
        }

        return messages;
    }
}
