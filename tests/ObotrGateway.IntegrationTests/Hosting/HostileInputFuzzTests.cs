using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CsCheck;
using ObotrGateway.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ObotrGateway.IntegrationTests.Hosting;

/// <summary>
/// Property: whatever a client sends to a merchant or admin endpoint, the gateway answers below 500, and every 4xx is
/// application/problem+json with a code. Requests are generated with CsCheck from a fixed seed and a fixed count, so a
/// run is repeatable and bounded; the MDES callback is not fuzzed here (its rules are its own, docs/notifications.md).
/// </summary>
[Collection(GatewayTestGroup.Name)]
public sealed class HostileInputFuzzTests(GatewayFixture fixture, ITestOutputHelper output)
{
    private const int Requests = 1_500;
    private const ulong Seed = 20261202;

    private enum Caller { Merchant, Admin, None, WrongKey }

    private sealed record Operation(string Method, string Path, Caller Caller, string[] Fields, string[] QueryKeys);

    private sealed record Sample(Operation Operation, string Route, string Query, byte[]? Body, string? ContentType, string? Accept,
        Caller Caller, string? IdempotencyKey, int PaddingBytes)
    {
        public override string ToString() =>
            $"{Operation.Method} {Operation.Path.Replace("{id}", Route[..Math.Min(Route.Length, 40)], StringComparison.Ordinal)}{Query[..Math.Min(Query.Length, 60)]} "
            + $"ct={ContentType} accept={Accept} caller={Caller} body={(Body is null ? "-" : Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 120)))}";
    }

    // Every merchant and admin operation; {id} is a gateway token, a merchant id or a job id as the route asks.
    private static readonly Operation[] Operations =
    [
        new("POST", "/v1/gateway-tokens", Caller.Merchant, ["card"], []),
        new("GET", "/v1/gateway-tokens/{id}", Caller.Merchant, [], ["refresh"]),
        new("GET", "/v1/gateway-tokens", Caller.Merchant, [], ["limit", "before"]),
        new("POST", "/v1/payments", Caller.Merchant, ["gatewayToken", "amount", "currency", "recurring", "storeCard"], []),
        new("POST", "/v1/payments", Caller.Merchant, ["card", "amount", "currency", "storeCard"], []),
        new("GET", "/v1/payments/{id}", Caller.Merchant, [], []),
        new("POST", "/v1/network-tokens", Caller.Merchant, ["gatewayToken"], []),
        new("POST", "/v1/gateway-tokens/{id}/cryptograms", Caller.Merchant, [], []),
        new("DELETE", "/v1/gateway-tokens/{id}", Caller.Merchant, [], []),
        new("POST", "/v1/gateway-tokens/delete", Caller.Merchant, ["gatewayTokens", "reasonCode", "reason"], []),
        new("POST", "/v1/gateway-tokens/{id}/suspend", Caller.Merchant, ["reason", "reasonCode"], []),
        new("POST", "/v1/gateway-tokens/{id}/unsuspend", Caller.Merchant, ["reason", "reasonCode"], []),
        new("POST", "/v1/gateway-tokens/suspend", Caller.Merchant, ["gatewayTokens", "reasonCode", "reason"], []),
        new("POST", "/v1/gateway-tokens/unsuspend", Caller.Merchant, ["gatewayTokens", "reasonCode", "reason"], []),
        new("POST", "/v1/customer-service/token-search", Caller.Merchant, ["pan", "expiryMonth", "expiryYear"], []),
        new("GET", "/v1/gateway-tokens/{id}/card-art", Caller.Merchant, [], ["panSuffix"]),
        new("GET", "/v1/gateway-tokens/{id}/card-art/icon", Caller.Merchant, [], []),
        new("POST", "/v1/tokenization-jobs", Caller.Merchant, ["reference", "pan", "expiryMonth", "expiryYear"], []),
        new("GET", "/v1/tokenization-jobs/{id}", Caller.Merchant, [], []),
        new("GET", "/v1/tokenization-jobs/{id}/items", Caller.Merchant, [], ["status", "after", "limit"]),
        new("POST", "/v1/tokenization-jobs/{id}/cancel", Caller.Merchant, [], []),
        new("PUT", "/v1/merchant/webhook", Caller.Merchant, ["url", "rotateSecret"], []),
        new("GET", "/v1/merchant/webhook", Caller.Merchant, [], []),
        new("GET", "/v1/merchant/webhook/deliveries", Caller.Merchant, [], ["limit"]),
        new("GET", "/v1/merchant", Caller.Merchant, [], []),
        new("POST", "/v1/admin/merchants", Caller.Admin, ["name", "tokenRequestorId", "tokenizeWhileTransacting"], []),
        new("GET", "/v1/admin/merchants", Caller.Admin, [], ["limit", "after"]),
        new("PATCH", "/v1/admin/merchants/{id}", Caller.Admin, ["name", "tokenizeWhileTransacting"], []),
        new("POST", "/v1/admin/merchants/{id}/rotate-key", Caller.Admin, [], []),
        new("PUT", "/v1/admin/merchants/{id}/webhook", Caller.Admin, ["url", "rotateSecret"], []),
        new("POST", "/v1/admin/tokens/resync", Caller.Admin, ["olderThan", "limit"], []),
    ];

    // Text a client can put anywhere: NUL and other controls, lone surrogates, long, right-to-left, injection-shaped.
    private static readonly string[] HostileText =
        ["", " ", "\0", "a\0b", "\ud800", "x\udfffy", "\u0001\u001f\u007f", "üñí€😀", "\u202e\ufeff", "'; DROP TABLE merchants;--",
         "../../etc/passwd", "%00", "null", new string('x', 3000), "gt_", "\r\n\t"];

    // Path segments and query values as sent on the wire: percent-escapes of NUL, invalid UTF-8, an encoded surrogate.
    private static readonly string[] HostileEncoded =
        ["%00", "a%00b", "%FF", "%C0%80", "%ED%A0%80", "%E2%82", "%", "%zz", "-1", "0", "99999999999999999999", "abc", "true", "1e400",
         "%20", "+", "..", "%2F", "%F0%9F%98%80", "x%0Dy", new string('a', 600)];

    private static readonly string[] HostileJsonValues =
        ["null", "true", "0", "-1", "1.5", "1e400", "99999999999999999999999", "999999999999", "1000000000000", "[]", "{}", "[null]",
         "{\"x\":1}", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", "\"10675199.02:48:05.4775807\"", "\"-00:00:01\""];

    private static readonly string?[] ContentTypes =
        ["application/json", "application/json; charset=utf-8", "application/json; charset=utf-7", "application/json; charset=utf-16",
         "application/json; charset=\"UTF-8\"", "application/json; charset=", "application/json; charset=latin1", "text/plain",
         "application/x-www-form-urlencoded", "application/problem+json", "application/x-ndjson", "text/csv", "garbage", null];

    private static readonly string?[] Accepts = [null, "application/json", "text/html", "application/xml", "*/*", "image/png"];

    private static readonly string[] UnknownNames = ["tokenize", "x", "__proto__", "Card ", "", "\u0000", "amount\ud800", "$type"];

    [Fact]
    public async Task Generated_hostile_requests_to_every_merchant_and_admin_endpoint_get_no_5xx_and_problem_json_for_every_4xx()
    {
        var (_, merchant) = await fixture.NewMerchantAsync();
        var (victim, _) = await fixture.NewMerchantAsync(); // the admin routes' target, so a rotated key never locks the fuzzing merchant out
        var token = (await merchant.AddCardAsync(TestCards.Approved)).As<GatewayTokenResponse>().GatewayToken;
        var merchantKey = merchant.DefaultRequestHeaders.Authorization!.Parameter!;
        using var client = fixture.Factory.CreateClient();

        var validValues = new Dictionary<string, string>
        {
            ["card"] = JsonSerializer.Serialize(TestCards.Card(TestCards.Approved)),
            ["gatewayToken"] = JsonSerializer.Serialize(token),
            ["gatewayTokens"] = JsonSerializer.Serialize(new[] { token }),
            ["amount"] = "1250",
            ["currency"] = "\"EUR\"",
            ["recurring"] = "\"none\"",
            ["storeCard"] = "false",
            ["reason"] = "\"fuzz\"",
            ["reasonCode"] = "\"OTHER\"",
            ["pan"] = JsonSerializer.Serialize(TestCards.Approved),
            ["expiryMonth"] = "12",
            ["expiryYear"] = "2031",
            ["reference"] = "\"r1\"",
            ["url"] = "\"https://example.test/hook\"",
            ["rotateSecret"] = "false",
            ["name"] = "\"Fuzzed\"",
            ["tokenRequestorId"] = "\"50000000000\"",
            ["tokenizeWhileTransacting"] = "\"inline\"",
            ["olderThan"] = "\"3650.00:00:00\"",
            ["limit"] = "5",
        };
        var routeIds = new Dictionary<string, string[]>
        {
            ["gateway-tokens"] = [token, "gt_unknown"],
            ["admin"] = [victim.MerchantId.ToString(), Guid.NewGuid().ToString()],
            ["other"] = [Guid.NewGuid().ToString(), "not-a-guid"],
        };

        var gen = SampleGen(validValues, routeIds);
        var pcg = new PCG(1, Seed);
        var statuses = new SortedDictionary<int, int>();
        var failures = new List<string>();
        var kestrelRefusals = 0;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < Requests; i++)
        {
            var sample = gen.Generate(pcg, null, out _);
            using var request = Build(sample, merchantKey);
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var problem = await ProblemOrNullAsync(response);
            if (status == 400 && problem is null && KestrelRefusesTarget(sample))
            {
                kestrelRefusals++;
            }
            else if (status >= 500 || (status >= 400 && problem is null))
            {
                failures.Add($"#{i} {status} {problem ?? "(not problem+json with a code)"}: {sample}");
            }
        }

        output.WriteLine($"{Requests} requests in {watch.Elapsed.TotalSeconds:F1} s, seed {Seed}; by status: "
            + string.Join(", ", statuses.Select(pair => $"{pair.Key}×{pair.Value}")) + $"; refused by Kestrel itself (NUL in the path): {kestrelRefusals}");
        foreach (var line in failures.Count == 0 ? [] : fixture.Logs.Lines.Where(line => line.Contains("Exception", StringComparison.Ordinal)).Take(5))
        {
            output.WriteLine(line);
        }

        failures.ShouldBeEmpty(string.Join("\n", failures.Take(20)));
        statuses.Keys.Count(status => status >= 400).ShouldBeGreaterThan(3); // the generator does reach the refusals it is meant to
    }

    /// <summary>
    /// A NUL in the decoded path is refused by Kestrel with an empty 400 before any middleware runs (it cannot carry a
    /// body); it never reaches the application. The only empty 4xx the property allows.
    /// </summary>
    private static bool KestrelRefusesTarget(Sample sample) => sample.Route.Contains("%00", StringComparison.Ordinal);

    private static async Task<string?> ProblemOrNullAsync(HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return null;
        }

        try
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return body.RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Gen<Sample> SampleGen(Dictionary<string, string> valid, Dictionary<string, string[]> routeIds)
    {
        var operation = Gen.Int[0, Operations.Length - 1].Select(index => Operations[index]);
        var text = Gen.Int[0, HostileText.Length - 1].Select(index => HostileText[index]);
        var encoded = Gen.Int[0, HostileEncoded.Length - 1].Select(index => HostileEncoded[index]);
        var jsonValue = Gen.Frequency((3, text.Select(JsonLiteral)), (2, Gen.Int[0, HostileJsonValues.Length - 1].Select(index => HostileJsonValues[index])));
        var contentType = Gen.Frequency((6, Gen.Const<string?>("application/json")), (4, Gen.Int[0, ContentTypes.Length - 1].Select(index => ContentTypes[index])));
        var accept = Gen.Int[0, Accepts.Length - 1].Select(index => Accepts[index]);
        var caller = Gen.Frequency((12, Gen.Const((Caller?)null)), (1, Gen.Const<Caller?>(Caller.None)), (1, Gen.Const<Caller?>(Caller.WrongKey)),
            (1, Gen.Const<Caller?>(Caller.Admin)), (1, Gen.Const<Caller?>(Caller.Merchant)));
        var idempotencyKey = Gen.Frequency((5, Gen.Const((string?)null)), (3, Gen.Int.Select(value => (string?)("fuzz-" + value))),
            (1, Gen.Const<string?>(new string('k', 300))), (1, Gen.Const<string?>("fuzz-fixed")));
        var padding = Gen.Frequency((30, Gen.Const(0)), (1, Gen.Const(20_000)), (1, Gen.Const(40_000)));
        var query = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 5], encoded, encoded, Gen.Bool, (count, keyIndex, value, key, hostileKey) => (count, keyIndex, value, key, hostileKey));
        var mutation = Gen.Select(Gen.Int[0, 9], Gen.Int[0, 7], jsonValue, Gen.Int[0, 5], (kind, unknown, value, field) => (kind, unknown, value, field));
        var routeChoice = Gen.Select(Gen.Int[0, 4], encoded, (choice, value) => (choice, value));

        return Gen.Select(operation, routeChoice, query, mutation, contentType, accept, caller,
            Gen.Select(idempotencyKey, padding, (key, pad) => (key, pad)),
            (op, route, q, m, type, acc, who, extra) =>
            {
                var ids = op.Path.Contains("admin", StringComparison.Ordinal) ? routeIds["admin"]
                    : op.Path.StartsWith("/v1/gateway-tokens/", StringComparison.Ordinal) ? routeIds["gateway-tokens"] : routeIds["other"];
                var routeValue = route.choice switch
                {
                    < 2 => ids[route.choice],
                    2 => route.value,
                    3 => new string('r', 9_000), // over the guard's target limit, under Kestrel's
                    _ => Uri.EscapeDataString(ids[0]) + route.value,
                };
                var keys = op.QueryKeys.Length == 0 ? ["limit"] : op.QueryKeys;
                var queryText = q.count == 0 ? "" : "?" + string.Join("&", Enumerable.Range(0, q.count).Select(n =>
                    (q.hostileKey && n == 0 ? q.key : keys[(q.keyIndex + n) % keys.Length]) + "=" + q.value));
                var body = op.Fields.Length == 0 && m.kind < 6 ? null : Body(op, valid, m.kind, UnknownNames[m.unknown], m.value, m.field);
                return new Sample(op, routeValue, queryText, body, body is null ? null : type, acc, who ?? op.Caller, extra.key, extra.pad);
            });
    }

    /// <summary>A body for the operation: valid, or with one mutation (unknown member, hostile value, duplicate, garbage, ...).</summary>
    private static byte[]? Body(Operation operation, Dictionary<string, string> valid, int kind, string unknownName, string hostileValue, int fieldIndex)
    {
        var fields = operation.Fields.Select(name => (Name: name, Value: valid[name])).ToList();
        var target = fields.Count == 0 ? -1 : fieldIndex % fields.Count;
        switch (kind)
        {
            case 0:
                break;
            case 1:
                fields.Add((unknownName, "true"));
                break;
            case 2 or 3 when target >= 0:
                fields[target] = (fields[target].Name, hostileValue);
                break;
            case 4 when target >= 0:
                fields.Add(fields[target]);
                break;
            case 5 when target >= 0 && fields[target].Name == "card":
                fields[target] = ("card", fields[target].Value.TrimEnd('}') + ",\"tokenize\":true}");
                break;
            case 6:
                return [];
            case 7:
                return [0xFF, 0xFE, (byte)'{', 0xC3, 0x28];
            case 8:
                return Encoding.UTF8.GetBytes("{\"" + (fields.Count > 0 ? fields[0].Name : "a") + "\":");
            case 9:
                return Encoding.UTF8.GetBytes(hostileValue);
            default:
                fields.Add((unknownName, hostileValue));
                break;
        }

        var json = "{" + string.Join(",", fields.Select(field => JsonLiteral(field.Name) + ":" + field.Value)) + "}";
        return operation.Path == "/v1/tokenization-jobs" ? Encoding.UTF8.GetBytes(json + "\n" + json + "\n") : Encoding.UTF8.GetBytes(json);
    }

    /// <summary>A JSON string literal that keeps lone surrogates and controls as \u escapes (so the bytes on the wire are valid UTF-8).</summary>
    private static string JsonLiteral(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            builder.Append(c < 0x20 || c is '"' or '\\' || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return builder.Append('"').ToString();
    }

    private static HttpRequestMessage Build(Sample sample, string merchantKey)
    {
        var path = sample.Operation.Path.Replace("{id}", sample.Route, StringComparison.Ordinal) + sample.Query;
        var request = new HttpRequestMessage(new HttpMethod(sample.Operation.Method), path);
        var key = sample.Caller switch
        {
            Caller.Merchant => merchantKey,
            Caller.Admin => GatewayFixture.AdminKey,
            Caller.WrongKey => "sk_wrong_0123456789",
            _ => null,
        };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (sample.Accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", sample.Accept);
        }

        if (sample.IdempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", sample.IdempotencyKey);
        }

        if (sample.PaddingBytes > 0)
        {
            request.Headers.TryAddWithoutValidation("X-Padding", new string('p', sample.PaddingBytes));
        }

        if (sample.Body is not null)
        {
            request.Content = new ByteArrayContent(sample.Body);
            if (sample.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", sample.ContentType);
            }
        }

        return request;
    }
}
