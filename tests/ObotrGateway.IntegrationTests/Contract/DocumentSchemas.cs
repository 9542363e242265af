using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ObotrGateway.IntegrationTests.Contract;

/// <summary>
/// Validates JSON against the schemas of a served OpenAPI 3.1 document with JsonSchema.Net: OpenAPI 3.1 schemas are JSON
/// Schema 2020-12, so the document's components become <c>$defs</c> and its <c>#/components/schemas/</c> references point
/// there. Nothing is cleaned or loosened: what a generated client or a validating proxy would check is what is checked.
/// </summary>
internal sealed class DocumentSchemas(JsonObject document)
{
    private const string ComponentPrefix = "#/components/schemas/";
    private readonly ConcurrentDictionary<string, JsonSchema> _built = new(StringComparer.Ordinal);
    private readonly JsonNode _definitions = Rewrite(document["components"]?["schemas"]?.DeepClone() ?? new JsonObject());

    /// <summary>Problems found validating <paramref name="instance"/> against <paramref name="schema"/> (a schema of the document); empty when valid.</summary>
    public IReadOnlyList<string> Validate(JsonNode schema, JsonNode? instance)
    {
        var text = schema.ToJsonString();
        var built = _built.GetOrAdd(text, _ =>
        {
            var root = new JsonObject
            {
                ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
                ["$defs"] = _definitions.DeepClone(),
                ["allOf"] = new JsonArray(Rewrite(JsonNode.Parse(text)!)),
            };
            return JsonSchema.FromText(root.ToJsonString(), baseUri: new Uri($"https://obotr.test/openapi/{Guid.NewGuid():N}.json"));
        });
        using var parsed = JsonDocument.Parse(instance?.ToJsonString() ?? "null");
        var result = built.Evaluate(parsed.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : [.. (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}"))];
    }

    private static JsonNode Rewrite(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"] is JsonValue reference && reference.GetValue<string>().StartsWith(ComponentPrefix, StringComparison.Ordinal))
                {
                    obj["$ref"] = "#/$defs/" + reference.GetValue<string>()[ComponentPrefix.Length..];
                }

                foreach (var (_, child) in obj.ToList())
                {
                    if (child is not null)
                    {
                        Rewrite(child);
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        Rewrite(child);
                    }
                }

                break;
        }

        return node;
    }
}

/// <summary>The operations of a document, with their path, method and the object that describes them.</summary>
internal sealed record DocumentOperation(string Path, string Method, JsonObject Operation)
{
    public string Name => $"{Method.ToUpperInvariant()} {Path} ({Operation["operationId"]})";

    public static IEnumerable<DocumentOperation> All(JsonObject document, bool withWebhooks = true)
    {
        var sections = withWebhooks ? new[] { "paths", "webhooks" } : ["paths"];
        foreach (var section in sections)
        {
            foreach (var (path, item) in document[section]?.AsObject() ?? [])
            {
                foreach (var (method, operation) in item!.AsObject())
                {
                    if (method is not "parameters" and not "summary" and not "description" and not "servers")
                    {
                        yield return new DocumentOperation(path, method, operation!.AsObject());
                    }
                }
            }
        }
    }

    /// <summary>The operation serving <paramref name="method"/> on a concrete <paramref name="path"/> (templates match any one segment).</summary>
    public static DocumentOperation? Find(JsonObject document, string method, string path)
    {
        var segments = path.Split('?')[0].TrimEnd('/').Split('/');
        return All(document, withWebhooks: false).FirstOrDefault(operation =>
        {
            var template = operation.Path.TrimEnd('/').Split('/');
            return operation.Method.Equals(method, StringComparison.OrdinalIgnoreCase) && template.Length == segments.Length
                && template.Zip(segments).All(pair => pair.First.StartsWith('{') || pair.First == pair.Second);
        });
    }
}
