using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Contract;

/// <summary>
/// The merchant API's contract, checked on the documents the real apps serve, by rule over every operation: an operation
/// added later is held to the same checks (docs/api-contract.md). deploy/local/openapi.sh runs these first; they also
/// write the served documents for its lint and client generation.
/// </summary>
[Collection(GatewayTestGroup.Name)]
public sealed partial class OpenApiContractTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Served_documents_are_written_for_the_lint_and_the_client()
    {
        var gateway = await ServedDocuments.GatewayAsync(fixture);
        var simulator = await ServedDocuments.SimulatorAsync(fixture);

        gateway["paths"]!.AsObject().Count.ShouldBeGreaterThan(0);
        simulator["paths"]!.AsObject().Count.ShouldBeGreaterThan(0);
        File.Exists(Path.Combine(ServedDocuments.RepositoryRoot(), "artifacts", "openapi", "gateway.json")).ShouldBeTrue();
    }

    [Fact]
    public async Task Every_operation_has_an_id_a_summary_a_description_and_security()
    {
        foreach (var (document, needsDescription) in new[] { (await ServedDocuments.GatewayAsync(fixture), true), (await ServedDocuments.SimulatorAsync(fixture), false) })
        {
            var schemes = document["components"]?["securitySchemes"]?.AsObject() ?? [];
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var operation in DocumentOperation.All(document))
            {
                var id = (string?)operation.Operation["operationId"];
                string.IsNullOrWhiteSpace(id).ShouldBeFalse(operation.Name);
                ids.Add(id!).ShouldBeTrue($"{operation.Name}: operationId used twice");
                string.IsNullOrWhiteSpace((string?)operation.Operation["summary"]).ShouldBeFalse($"{operation.Name}: no summary");
                if (needsDescription)
                {
                    string.IsNullOrWhiteSpace((string?)operation.Operation["description"]).ShouldBeFalse($"{operation.Name}: no description");
                }

                var security = operation.Operation["security"]?.AsArray();
                security.ShouldNotBeNull($"{operation.Name}: no security requirement (an empty {{}} says: no credentials)");
                security.Count.ShouldBeGreaterThan(0, operation.Name);
                foreach (var scheme in security.SelectMany(requirement => requirement!.AsObject().Select(entry => entry.Key)))
                {
                    schemes.ContainsKey(scheme).ShouldBeTrue($"{operation.Name}: security scheme {scheme} is not declared");
                }
            }
        }
    }

    [Fact]
    public async Task Every_gateway_route_names_its_credential()
    {
        var document = await ServedDocuments.GatewayAsync(fixture);

        foreach (var operation in DocumentOperation.All(document, withWebhooks: false))
        {
            var schemes = operation.Operation["security"]!.AsArray().SelectMany(requirement => requirement!.AsObject().Select(entry => entry.Key)).ToList();
            schemes.ShouldNotBeEmpty($"{operation.Name}: every gateway route needs a merchant key, the admin key or MDES's certificate");
            var expected = operation.Path.StartsWith("/v1/admin/", StringComparison.Ordinal) ? "AdminApiKey"
                : operation.Path.StartsWith("/v1/", StringComparison.Ordinal) ? "MerchantApiKey"
                : "MdesMutualTls";
            schemes.ShouldBe([expected], operation.Name);
        }
    }

    [Fact]
    public async Task Every_problem_response_is_a_problem_with_a_documented_code_per_example()
    {
        var document = await ServedDocuments.GatewayAsync(fixture);
        var schemas = new DocumentSchemas(document);
        var catalogue = DocumentedCodes();

        foreach (var operation in DocumentOperation.All(document, withWebhooks: false))
        {
            var responses = operation.Operation["responses"]!.AsObject();
            responses.ContainsKey("500").ShouldBeTrue($"{operation.Name}: no 500");
            foreach (var (status, response) in responses.Where(entry => entry.Key[0] is '4' or '5'))
            {
                var where = $"{operation.Name} {status}";
                var content = response!["content"]?.AsObject();
                content.ShouldNotBeNull(where);
                // The Hyperswitch calls answer in Hyperswitch's error shape (docs/hyperswitch.md), every other operation with a problem.
                var hyperswitch = operation.Path.StartsWith("/v1/hyperswitch/", StringComparison.Ordinal);
                var mediaType = hyperswitch ? "application/json" : "application/problem+json";
                content.Select(entry => entry.Key).ShouldBe([mediaType], where);
                var media = content[mediaType]!;
                ((string?)media["schema"]?["$ref"]).ShouldBe(hyperswitch ? "#/components/schemas/HyperswitchError" : "#/components/schemas/Problem", where);
                var examples = media["examples"]?.AsObject();
                examples.ShouldNotBeNull($"{where}: no problem codes (add them to Hosting/OpenApiProblems.cs)");
                examples.Count.ShouldBeGreaterThan(0, $"{where}: no problem codes (add them to Hosting/OpenApiProblems.cs)");
                foreach (var (code, example) in examples)
                {
                    var value = example!["value"];
                    schemas.Validate(media["schema"]!, value).ShouldBeEmpty($"{where} example {code}");
                    if (hyperswitch)
                    {
                        ((string?)value!["error_info"]!["code"]).ShouldBe(code, $"{where} example {code}");
                    }
                    else
                    {
                        ((int)value!["status"]!).ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe(status, $"{where} example {code}");
                    }

                    catalogue.ShouldContain(code, $"{where}: {code} is not in docs/errors.md");
                }
            }
        }
    }

    [Fact]
    public async Task Every_request_body_has_an_example_and_every_example_validates()
    {
        var document = await ServedDocuments.GatewayAsync(fixture);
        var schemas = new DocumentSchemas(document);
        var checkedExamples = 0;

        foreach (var operation in DocumentOperation.All(document))
        {
            foreach (var (mediaType, media) in operation.Operation["requestBody"]?["content"]?.AsObject() ?? [])
            {
                var examples = media!["examples"]?.AsObject() ?? [];
                (examples.Count > 0 || media["example"] is not null).ShouldBeTrue($"{operation.Name} {mediaType}: no request example");
                if (mediaType != "application/json")
                {
                    continue;
                }

                foreach (var (name, example) in examples)
                {
                    schemas.Validate(media["schema"]!, example!["value"]).ShouldBeEmpty($"{operation.Name} request example {name}");
                    checkedExamples++;
                }

                if (media["example"] is { } single)
                {
                    schemas.Validate(media["schema"]!, single).ShouldBeEmpty($"{operation.Name} request example");
                    checkedExamples++;
                }
            }

            foreach (var (status, response) in operation.Operation["responses"]?.AsObject() ?? [])
            {
                foreach (var (mediaType, media) in response!["content"]?.AsObject() ?? [])
                {
                    if (media!["example"] is { } example && media["schema"] is { } schema)
                    {
                        schemas.Validate(schema, example).ShouldBeEmpty($"{operation.Name} {status} {mediaType} example");
                        checkedExamples++;
                    }
                }
            }
        }

        checkedExamples.ShouldBeGreaterThan(20);
    }

    [Theory]
    [InlineData("/v1/payments", """{"gatewayToken":"gt_54fa402cef59d90052661daf68a3fa44","amount":1500,"currency":"EUR"}""")]
    [InlineData("/v1/payments", """{"card":{"pan":"5204730000100003","expiryMonth":12,"expiryYear":2031},"amount":1,"currency":"USD"}""")]
    [InlineData("/v1/gateway-tokens", """{"card":{"pan":"5204730000100003","expiryMonth":12,"expiryYear":2031}}""")]
    [InlineData("/v1/network-tokens", """{"gatewayToken":"gt_54fa402cef59d90052661daf68a3fa44"}""")]
    [InlineData("/v1/gateway-tokens/gt_54fa402cef59d90052661daf68a3fa44/cryptograms", "{}")]
    [InlineData("/v1/gateway-tokens/delete", """{"gatewayTokens":["gt_54fa402cef59d90052661daf68a3fa44"]}""")]
    [InlineData("/v1/gateway-tokens/gt_54fa402cef59d90052661daf68a3fa44/suspend", "{}")]
    [InlineData("/v1/customer-service/token-search", """{"pan":"5204730000100003"}""")]
    [InlineData("/v1/admin/merchants", """{"name":"Acme","tokenRequestorId":"50123456789"}""")]
    public async Task The_smallest_valid_request_validates_against_the_document(string path, string body)
    {
        var document = await ServedDocuments.GatewayAsync(fixture);

        var operation = DocumentOperation.Find(document, "post", path);

        operation.ShouldNotBeNull(path);
        var schema = operation.Operation["requestBody"]!["content"]!["application/json"]!["schema"]!;
        new DocumentSchemas(document).Validate(schema, JsonNode.Parse(body)).ShouldBeEmpty(path);
    }

    [Theory]
    [InlineData("/v1/payments", """{"gatewayToken":"gt_54fa402cef59d90052661daf68a3fa44","amount":"1500","currency":"EUR"}""")]
    [InlineData("/v1/payments", """{"gatewayToken":"gt_54fa402cef59d90052661daf68a3fa44","amount":1500}""")]
    [InlineData("/v1/payments", """{"gatewayToken":"gt_54fa402cef59d90052661daf68a3fa44","amount":1500,"currency":"EUR","recurring":"sometimes"}""")]
    [InlineData("/v1/payments", """{"gatewayToken":null,"amount":1500,"currency":"EUR"}""")]
    [InlineData("/v1/gateway-tokens", """{"card":{"pan":"5204730000100003","expiryMonth":"12","expiryYear":2031}}""")]
    [InlineData("/v1/gateway-tokens", """{"card":{"pan":"5204730000100003","expiryMonth":12}}""")]
    public async Task A_request_the_gateway_refuses_does_not_validate_against_the_document(string path, string body)
    {
        var document = await ServedDocuments.GatewayAsync(fixture);

        var schema = DocumentOperation.Find(document, "post", path)!.Operation["requestBody"]!["content"]!["application/json"]!["schema"]!;

        new DocumentSchemas(document).Validate(schema, JsonNode.Parse(body)).ShouldNotBeEmpty(body);
    }

    [Fact]
    public async Task No_schema_lets_a_number_be_a_string_and_no_request_member_is_nullable()
    {
        var document = await ServedDocuments.GatewayAsync(fixture);
        var requestSchemas = new HashSet<string>(StringComparer.Ordinal);
        // Bodies clients send; the webhook's event is one we send, where null is meaningful (no reason, no expiry).
        foreach (var operation in DocumentOperation.All(document, withWebhooks: false))
        {
            foreach (var (_, media) in operation.Operation["requestBody"]?["content"]?.AsObject() ?? [])
            {
                Reachable(document, media!["schema"], requestSchemas);
            }
        }

        requestSchemas.ShouldContain("CreatePaymentRequest");
        foreach (var (name, schema) in document["components"]!["schemas"]!.AsObject())
        {
            foreach (var type in Descendants(schema!).OfType<JsonObject>().Select(node => node["type"]).OfType<JsonArray>())
            {
                var names = type.Select(entry => (string?)entry).ToList();
                (names.Contains("string") && (names.Contains("integer") || names.Contains("number"))).ShouldBeFalse($"{name}: {type.ToJsonString()}");
                if (requestSchemas.Contains(name))
                {
                    names.ShouldNotContain("null", $"request schema {name} accepts null");
                }
            }

            if (requestSchemas.Contains(name))
            {
                Descendants(schema!).OfType<JsonObject>().Any(node => (string?)node["type"] == "null").ShouldBeFalse($"request schema {name} accepts null");
            }
        }
    }

    [Fact]
    public async Task Both_apps_serve_an_api_reference_page_on_their_document()
    {
        using var gateway = fixture.Factory.CreateClient();
        using var simulator = new HttpClient { BaseAddress = fixture.Simulator.BaseAddress };

        foreach (var client in new[] { gateway, simulator })
        {
            var response = await client.GetAsync("/api-reference/");

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
            var page = await response.Content.ReadAsStringAsync();
            page.ShouldContain("\"url\":\"openapi/v1.json\""); // resolved against the app's base path by the page's script
            // The page's script is served by the app itself (no CDN): it must load from the same host.
            var script = ScriptSource().Match(page).Groups[1].Value;
            script.ShouldNotStartWith("http");
            (await client.GetAsync(new Uri(new Uri(client.BaseAddress!, "/api-reference/"), script))).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task A_number_sent_as_a_string_is_refused_as_malformed()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using var _ = client;

        var response = await client.PostAsync("/v1/payments", new StringContent(
            """{"gatewayToken":"gt_54fa402cef59d90052661daf68a3fa44","amount":"1500","currency":"EUR"}""", System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        ((string?)problem!["code"]).ShouldBe("malformed_request");
        problem["errors"]!.AsObject().ContainsKey("amount").ShouldBeTrue();
    }

    private static void Reachable(JsonObject document, JsonNode? schema, HashSet<string> found)
    {
        foreach (var reference in Descendants(schema).OfType<JsonObject>().Select(node => (string?)node["$ref"]).OfType<string>())
        {
            var name = reference["#/components/schemas/".Length..];
            if (found.Add(name))
            {
                Reachable(document, document["components"]!["schemas"]![name], found);
            }
        }
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode? node)
    {
        if (node is null)
        {
            yield break;
        }

        yield return node;
        var children = node switch
        {
            JsonObject obj => obj.Select(entry => entry.Value),
            JsonArray array => array.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.SelectMany(Descendants))
        {
            yield return child;
        }
    }

    /// <summary>Every code the catalogue (docs/errors.md) lists in its tables.</summary>
    internal static HashSet<string> DocumentedCodes() =>
        [.. CatalogueRow().Matches(File.ReadAllText(Path.Combine(ServedDocuments.RepositoryRoot(), "docs", "errors.md"))).Select(match => match.Groups[1].Value)];

    [GeneratedRegex(@"^\| \d{3} \| `([a-z_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex CatalogueRow();

    [GeneratedRegex("<script[^>]*src=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();
}
