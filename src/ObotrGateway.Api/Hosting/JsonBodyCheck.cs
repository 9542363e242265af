using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ObotrGateway.Api.Hosting;

/// <summary>What is wrong with a request body, and where (a path such as <c>card.pan</c> or <c>gatewayTokens[2]</c>).</summary>
internal sealed record BodyFinding(string Code, string Field, string Message);

/// <summary>
/// Checks a merchant or admin JSON body against the shape of the type it binds to, before it is bound: well-formed
/// JSON, every member known to that type (strict bodies, ADR 0704), no member twice, every string acceptable text
/// (<see cref="InputText"/>). One pass over at most the body limit (64 KiB); binding then only sees bodies that pass,
/// so what remains for the binder is type and range errors, which it reports with their path.
/// </summary>
internal static class JsonBodyCheck
{
    public const string UnknownField = "unknown_field";
    public const string DuplicateField = "duplicate_field";
    public const string InvalidCharacters = "invalid_characters";
    public const string Malformed = "malformed_request";

    public static BodyFinding? Check(ReadOnlySpan<byte> body, JsonTypeInfo shape)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 32 });
        var path = "$";
        try
        {
            if (!reader.Read())
            {
                return new BodyFinding(Malformed, "body", "The body is empty.");
            }

            var finding = Value(ref reader, shape, ref path);
            if (finding is null && reader.Read())
            {
                return new BodyFinding(Malformed, "body", "Content after the JSON value.");
            }

            return finding;
        }
        catch (JsonException exception)
        {
            // The reader's own message carries positions only, never content.
            return new BodyFinding(Malformed, FieldOf(path), $"Not valid JSON (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine}).");
        }
    }

    /// <summary>"$.card.pan" → "card.pan"; "$" → "body".</summary>
    internal static string FieldOf(string path) => path is "$" ? "body" : path.TrimStart('$').TrimStart('.');

    private static BodyFinding? Value(ref Utf8JsonReader reader, JsonTypeInfo? shape, ref string path)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return Object(ref reader, shape, ref path);
            case JsonTokenType.StartArray:
                var element = shape is { Kind: JsonTypeInfoKind.Enumerable, ElementType: { } type } ? shape.Options.GetTypeInfo(type) : null;
                var arrayPath = path;
                for (var index = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; index++)
                {
                    path = $"{arrayPath}[{index}]";
                    if (Value(ref reader, element, ref path) is { } finding)
                    {
                        return finding;
                    }
                }

                path = arrayPath;
                return null;
            case JsonTokenType.String:
                return Text(ref reader) ? null : new BodyFinding(InvalidCharacters, FieldOf(path),
                    "Text must be well-formed Unicode without NUL or other control characters.");
            default:
                return null; // numbers and literals: their range and type are the binder's to check
        }
    }

    private static BodyFinding? Object(ref Utf8JsonReader reader, JsonTypeInfo? shape, ref string path)
    {
        var objectPath = path;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!Text(ref reader))
            {
                return new BodyFinding(InvalidCharacters, FieldOf(objectPath), "A member name is not well-formed Unicode or holds control characters.");
            }

            var name = reader.GetString()!;
            path = objectPath + "." + name;
            if (!seen.Add(name))
            {
                return new BodyFinding(DuplicateField, FieldOf(path), $"'{name}' appears more than once.");
            }

            JsonTypeInfo? member = null;
            if (shape is { Kind: JsonTypeInfoKind.Object })
            {
                var property = shape.Properties.FirstOrDefault(candidate => string.Equals(candidate.Name, name,
                    shape.Options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));
                if (property is null)
                {
                    return new BodyFinding(UnknownField, FieldOf(path), $"'{name}' is not a field of this request.");
                }

                member = shape.Options.GetTypeInfo(property.PropertyType);
            }
            else if (shape is { Kind: JsonTypeInfoKind.Dictionary, ElementType: { } valueType })
            {
                member = shape.Options.GetTypeInfo(valueType);
            }

            reader.Read();
            if (Value(ref reader, member, ref path) is { } finding)
            {
                return finding;
            }
        }

        path = objectPath;
        return null;
    }

    /// <summary>The current string token decodes to acceptable text (invalid UTF-8 and lone surrogates do not decode).</summary>
    private static bool Text(ref Utf8JsonReader reader)
    {
        try
        {
            return InputText.IsAcceptable(reader.GetString());
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
