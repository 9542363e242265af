using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ObotrGateway.IntegrationTests.Simulator.Support;

/// <summary>
/// Drives the simulator's Customer Service API with the published (wrapped, PascalCase) bodies and checks every
/// answer against the published 2.0.7 schema: the operation's 200 schema, or <c>ErrorsResponse</c> otherwise.
/// </summary>
public sealed class CustomerServiceClient(HttpClient http)
{
    public const string BasePath = "/mdes/csapi/v2";

    public static readonly JsonObject Agent = new() { ["UserId"] = "A1435477", ["UserName"] = "John Smith", ["Organization"] = "Solid Bank Inc" };

    private static readonly Dictionary<string, string> ResponseSchemas = new(StringComparer.Ordinal)
    {
        ["/search"] = "SearchResponseSchema",
        ["/token/suspend"] = "TokenSuspendResponseSchema",
        ["/token/unsuspend"] = "TokenUnsuspendResponseSchema",
        ["/token/delete"] = "TokenDeleteResponseSchema",
        ["/token/update"] = "TokenUpdateResponseSchema",
        ["/token/statushistory"] = "TokenStatusHistoryResponseSchema",
        ["/token/comments"] = "TokenCommentsResponseSchema",
        ["/token/activationmethods"] = "TokenActivationMethodsResponseSchema",
        ["/token/resendactivationcode"] = "TokenResendActivationCodeResponseSchema",
        ["/token/activate"] = "TokenActivateResponseSchema",
        ["/token/resetmobilepin"] = "TokenResetMobilePinResponseSchema",
        ["/transactions"] = "TransactionsResponseSchema",
        ["/updatetokenassurance"] = "UpdateTokenAssuranceResponseSchema",
        ["/accountholdermessaging"] = "AccountHolderMessagingResponseSchema",
        ["/systemstatus"] = "SystemStatusResponseSchema",
    };

    /// <summary>POSTs <c>{wrapper: fields + AuditInfo}</c> (AuditInfo left out when <paramref name="withAudit"/> is false).</summary>
    public Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(string operation, string wrapper, JsonObject fields, bool withAudit = true)
    {
        if (withAudit)
        {
            fields["AuditInfo"] = Agent.DeepClone();
        }

        return SendAsync(operation, new JsonObject { [wrapper] = fields });
    }

    public async Task<(HttpStatusCode Status, JsonObject Body)> SendAsync(string operation, JsonNode? body, string? raw = null)
    {
        using var request = new HttpRequestMessage(body is null && raw is null ? HttpMethod.Get : HttpMethod.Post, BasePath + operation);
        if (raw is not null)
        {
            request.Content = new StringContent(raw, System.Text.Encoding.UTF8, "application/json");
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = JsonNode.Parse(text)!.AsObject();
        var schema = response.StatusCode == HttpStatusCode.OK ? ResponseSchemas[operation] : "ErrorsResponse";
        var problems = CustomerServiceSchemas.Validate(schema, json);
        problems.ShouldBeEmpty($"{operation} answered {(int)response.StatusCode} {text}, not valid against {schema}");
        return (response.StatusCode, json);
    }

    public async Task<JsonObject> OkAsync(string operation, string wrapper, JsonObject fields)
    {
        var (status, body) = await PostAsync(operation, wrapper, fields);
        status.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    public static JsonObject Tur(string tur, params (string Name, string Value)[] more)
    {
        var json = new JsonObject { ["TokenUniqueReference"] = tur };
        foreach (var (name, value) in more)
        {
            json[name] = value;
        }

        return json;
    }

    /// <summary>The first error's ReasonCode of an <c>Errors.Error[]</c> envelope.</summary>
    public static string ReasonCode(JsonObject errors) => (string)errors["Errors"]!["Error"]![0]!["ReasonCode"]!;
}

/// <summary>
/// The published spec's component schemas as JSON Schema. The spec is an automatic conversion with two artefacts
/// that would reject every real answer: <c>maxLength: 0</c> on free-text fields (meaning "not stated") and
/// <c>format: integer</c> on strings; both are dropped. Objects are closed (<c>additionalProperties: false</c>) so a
/// field name the spec does not publish fails the check.
/// </summary>
public static class CustomerServiceSchemas
{
    private static readonly Lazy<JsonObject> Definitions = new(() =>
    {
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Specs", "mdes-customer-service-2.0.7.json")))!;
        return (JsonObject)Clean(spec["components"]!["schemas"]!.DeepClone());
    });

    private static readonly ConcurrentDictionary<string, JsonSchema> Built = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> Validate(string schemaName, JsonNode instance)
    {
        var schema = Built.GetOrAdd(schemaName, name =>
        {
            var document = new JsonObject
            {
                ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
                ["$defs"] = Definitions.Value.DeepClone(),
                ["$ref"] = "#/$defs/" + name,
            };
            return JsonSchema.FromText(document.ToJsonString(), baseUri: new Uri($"https://obotr.test/csapi/{name}.json"));
        });
        using var parsed = JsonDocument.Parse(instance.ToJsonString());
        var result = schema.Evaluate(parsed.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : [.. (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}"))];
    }

    private static JsonNode Clean(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                obj.Remove("example");
                obj.Remove("format");
                if (obj["maxLength"] is JsonValue max && max.GetValue<int>() == 0)
                {
                    obj.Remove("maxLength");
                }

                if (obj["$ref"] is JsonValue reference)
                {
                    obj["$ref"] = reference.GetValue<string>().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
                }

                if (obj["properties"] is JsonObject)
                {
                    obj["additionalProperties"] = false;
                }

                foreach (var (_, child) in obj.ToList())
                {
                    if (child is not null && !(child is JsonValue))
                    {
                        Clean(child);
                    }
                }

                return obj;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        Clean(child);
                    }
                }

                return array;
            default:
                return node;
        }
    }
}
