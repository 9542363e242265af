using System.Text.Json;
using System.Text.Json.Nodes;

namespace ObotrGateway.Api.Mdes.Wire;

/// <summary>
/// Reads every error envelope of contract §4 into <see cref="MdesError"/>: the gateway's
/// <c>{"Errors":{"Error":[…]}}</c> (PascalCase), the application <c>errors</c>/<c>Errors</c> as array or single
/// object, a TransactError at top level, and the legacy top-level <c>errorCode</c>/<c>errorDescription</c>.
/// </summary>
internal static class MdesErrorParser
{
    public static bool TryParse(JsonNode? root, out IReadOnlyList<MdesError> errors, out string? responseId)
    {
        errors = [];
        responseId = null;
        if (root is not JsonObject body)
        {
            return false;
        }

        responseId = String(body, "responseId");
        var found = new List<MdesError>();
        var container = Property(body, "errors");
        if (container is JsonObject containerObject && Property(containerObject, "error") is { } inner)
        {
            // Gateway form: Errors.Error is an array (or, seen in older docs, a single object).
            container = inner;
        }

        switch (container)
        {
            case JsonArray array:
                found.AddRange(array.OfType<JsonObject>().Select(FromObject).OfType<MdesError>());
                break;
            case JsonObject single when FromObject(single) is { } error:
                found.Add(error);
                break;
            default:
                break;
        }

        if (found.Count == 0 && FromObject(body) is { } topLevel)
        {
            found.Add(topLevel);
        }

        if (found.Count == 0)
        {
            return false;
        }

        // The legacy pair sometimes carries the only code when the nested error lacks one.
        var legacyCode = String(body, "errorCode");
        errors = found.Select(e => e.ReasonCode.Length == 0 && legacyCode is not null ? e with { ReasonCode = legacyCode } : e).ToList();
        return true;
    }

    public static bool TryParse(ReadOnlySpan<byte> utf8Body, out IReadOnlyList<MdesError> errors, out string? responseId)
    {
        errors = [];
        responseId = null;
        if (utf8Body.IsEmpty)
        {
            return false;
        }

        try
        {
            return TryParse(JsonNode.Parse(utf8Body), out errors, out responseId);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static MdesError? FromObject(JsonObject node)
    {
        var reasonCode = String(node, "reasonCode");
        var errorCode = String(node, "errorCode");
        if (reasonCode is null && errorCode is null)
        {
            return null;
        }

        return new MdesError(
            Source: String(node, "source") ?? "MDES",
            ReasonCode: reasonCode ?? errorCode ?? "",
            ErrorCode: reasonCode is null ? null : errorCode,
            Description: String(node, "description") ?? String(node, "errorDescription"),
            Recoverable: Boolean(node, "recoverable"));
    }

    // Keys differ in case between the gateway (PascalCase) and MDES (camelCase) envelopes.
    private static JsonNode? Property(JsonObject node, string name)
    {
        foreach (var property in node)
        {
            if (string.Equals(property.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static string? String(JsonObject node, string name) =>
        Property(node, name) is JsonValue value && value.GetValueKind() is JsonValueKind.String or JsonValueKind.Number
            ? value.ToString()
            : null;

    private static bool Boolean(JsonObject node, string name) => Property(node, name) switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.True => true,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => string.Equals(value.ToString(), "true", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
