using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using ObotrGateway.IntegrationTests.BulkTokenization;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.IntegrationTests.Webhooks;
using ObotrGateway.Testing;

namespace ObotrGateway.IntegrationTests.Hosting;

/// <summary>
/// The Grafana dashboard and the Prometheus alert rules in deploy/observability name only series that the
/// gateway's scrape endpoint really serves: a short flow (webhook, add card and its activation NTU, payments,
/// card art, a one-line bulk job) runs against the fixture, then every metric name in every PromQL expression
/// of both files is looked up in the scrape. The scrape itself carries no card data, TUR or key.
/// </summary>
[Collection(GatewayTestGroup.Name)]
public sealed partial class ObservabilityReferenceTests(GatewayFixture fixture)
{
    private static readonly string Observability = Path.Combine(RepositoryRoot(), "deploy", "observability");

    [Fact]
    public async Task Dashboard_and_alert_rules_name_only_series_the_scrape_endpoint_serves_after_a_short_flow()
    {
        var referenced = DashboardExpressions().Concat(RuleExpressions()).SelectMany(MetricNames).ToHashSet(StringComparer.Ordinal);
        referenced.Count.ShouldBeGreaterThan(15, "the parser must have found the files' expressions");

        var (merchant, client) = await fixture.NewMerchantAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailFirst = 1; // one failed attempt, so the failure side of the webhook panels has data too
        using (client)
        {
            await WebhookTests.PutWebhookAsync(client, new { url = receiver.Url.ToString() });
            var token = await client.AddActiveCardAsync(TestCards.Approved);
            foreach (var key in new[] { "metrics-pay-1", "metrics-pay-2" })
            {
                (await client.PostAsync("/v1/payments", new { gatewayToken = token, amount = 100, currency = "EUR" }, key)).Status
                    .ShouldBe(HttpStatusCode.Created);
            }

            using (var art = await client.GetAsync($"/v1/gateway-tokens/{token}/card-art"))
            {
                art.StatusCode.ShouldBe(HttpStatusCode.OK);
            }

            var pan = TestPans.Distinct(TestPans.ApprovedPrefix, 1).Single();
            fixture.SecretsSeen.Add(pan);
            var job = await client.StartJobAsync(BulkJobs.Ndjson([pan]));
            (await client.WaitForEndAsync(job, TimeSpan.FromSeconds(60))).GetProperty("status").GetString().ShouldBe("completed");

            // Refills, webhook retries and the NTU apply run in the background: scrape until all is there or time is up,
            // then let the assertion name what is missing.
            var (scrape, exposed) = await Eventually.LastAsync(async () =>
                {
                    var text = await ScrapeAsync();
                    return (Text: text, Names: SeriesNames(text));
                },
                last => !receiver.Received.IsEmpty && referenced.All(last.Names.Contains), TimeSpan.FromSeconds(40), TimeSpan.FromMilliseconds(200));

            receiver.Received.ShouldNotBeEmpty();
            referenced.Where(name => !exposed.Contains(name)).ShouldBeEmpty();
            var tur = await TokenUniqueReferenceAsync(token);
            string[] secrets = [.. TestCards.All, .. fixture.SecretsSeen, tur, merchant.ApiKey];
            secrets.Where(scrape.Contains).Select(secret => "…" + secret[^4..]).ShouldBeEmpty("the scrape holds no card data, TUR or key");
            fixture.Telemetry.Texts.Where(text => secrets.Any(text.Contains)).ShouldBeEmpty("no span attribute or label holds one either");
            fixture.Telemetry.Texts.ShouldContain(text => text.StartsWith("metric obotr.mdes.calls trid=", StringComparison.Ordinal),
                "the leak scan sees the gateway's own instruments");
        }
    }

    [Theory]
    [InlineData("sum by (operation) (rate(obotr_mdes_calls_total{outcome!=\"success\", trid=~\"$trid\"}[5m]))", "obotr_mdes_calls_total")]
    [InlineData("histogram_quantile(0.95, sum by (le) (rate(obotr_ntu_apply_lag_seconds_bucket[$__rate_interval]))) > 60", "obotr_ntu_apply_lag_seconds_bucket")]
    [InlineData("sum by (trid) (rate(a_total[1m])) / on (trid) group_left max by (trid) (b_limit) > bool 0.9", "a_total b_limit")]
    [InlineData("label_values(obotr_mdes_tps_limit, trid)", "obotr_mdes_tps_limit")]
    public void Metric_names_of_a_promql_expression_are_found_without_functions_labels_or_variables(string expression, string expected) =>
        MetricNames(expression).Order(StringComparer.Ordinal).ShouldBe(expected.Split(' ').Order(StringComparer.Ordinal));

    private async Task<string> ScrapeAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(fixture.MetricsAddress);
    }

    private async Task<string> TokenUniqueReferenceAsync(string gatewayToken)
    {
        await using var db = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        await using var command = db.CreateCommand("SELECT token_unique_reference FROM gateway_tokens WHERE gateway_token = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = gatewayToken });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Sample names in Prometheus text format (the part before the labels or the value).</summary>
    private static HashSet<string> SeriesNames(string scrape) =>
        [.. scrape.Split('\n').Where(line => line.Length > 0 && line[0] != '#').Select(line => SampleName().Match(line).Value)];

    private static List<string> DashboardExpressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Observability, "grafana", "obotr-gateway.json")));
        var found = new List<string>();
        Collect(dashboard.RootElement, found);
        return found;

        static void Collect(JsonElement element, List<string> found)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        // "expr": panel targets; "query"/"definition": template variables (label_values(…)).
                        if (property.Name is "expr" or "definition" && property.Value.ValueKind == JsonValueKind.String)
                        {
                            found.Add(property.Value.GetString()!);
                        }
                        else if (property.Name == "query" && property.Value.ValueKind == JsonValueKind.Object
                            && property.Value.TryGetProperty("query", out var query))
                        {
                            found.Add(query.GetString()!);
                        }
                        else
                        {
                            Collect(property.Value, found);
                        }
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Collect(item, found);
                    }

                    break;
            }
        }
    }

    /// <summary>One <c>expr:</c> per rule, on one line (the file keeps them so; a block scalar would fail here).</summary>
    private static List<string> RuleExpressions()
    {
        var lines = File.ReadAllLines(Path.Combine(Observability, "prometheus", "obotr-gateway-alerts.yml"));
        var expressions = lines.Select(line => line.Trim()).Where(line => line.StartsWith("expr:", StringComparison.Ordinal))
            .Select(line => line["expr:".Length..].Trim()).ToList();
        expressions.ShouldAllBe(expression => expression.Length > 0 && expression != "|" && expression != ">");
        expressions.Count.ShouldBe(lines.Count(line => line.TrimStart().StartsWith("- alert:", StringComparison.Ordinal)));
        return [.. expressions.Select(expression => expression.Trim('\'', '"'))];
    }

    /// <summary>
    /// Metric names in a PromQL expression: identifiers left once strings, label matchers, ranges, Grafana variables
    /// and label lists (by/without/on/ignoring/group_left/group_right) are removed, that are not a function call or a keyword.
    /// </summary>
    internal static IEnumerable<string> MetricNames(string expression)
    {
        var labelValues = LabelValues().Match(expression);
        if (labelValues.Success)
        {
            return [labelValues.Groups[1].Value];
        }

        var stripped = Strings().Replace(expression, " ");
        stripped = Matchers().Replace(stripped, " ");
        stripped = Ranges().Replace(stripped, " ");
        stripped = Variables().Replace(stripped, " ");
        stripped = LabelLists().Replace(stripped, " ");
        return Identifiers().Matches(stripped).Select(match => match.Groups[1].Value)
            .Where(name => !Keywords.Contains(name)).Distinct(StringComparer.Ordinal);
    }

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan",
    };

    [GeneratedRegex("""label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,""")]
    private static partial Regex LabelValues();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\$\{?\w+\}?")]
    private static partial Regex Variables();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex LabelLists();

    // Not preceded by a digit or dot (0.95, 1e3) and not followed by "(" (a function or an aggregation).
    [GeneratedRegex(@"(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()")]
    private static partial Regex Identifiers();

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex SampleName();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ObotrGateway.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("ObotrGateway.sln not found above " + AppContext.BaseDirectory);
    }
}
