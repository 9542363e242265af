using System.Text.Json;
using System.Text.Json.Nodes;

namespace ObotrGateway.MdesSimulator.DigitalEnablement;

internal enum FieldKind
{
    String,
    Boolean,
    Number,
    Object,
    StringArray,
}

/// <summary>
/// One request field. Min/Max bound a string's length or an array's item count; Reason overrides the reason code
/// for any failure of this field (e.g. INVALID_RESPONSE_HOST).
/// </summary>
internal sealed record Field(
    string Name,
    FieldKind Kind,
    bool Required = false,
    int Min = 0,
    int Max = int.MaxValue,
    string[]? OneOf = null,
    Func<string, bool>? Format = null,
    RequestShape? Nested = null,
    string? Reason = null);

/// <summary>The fields an MDES request object may carry, checked strictly: unknown first, then each declared field.</summary>
internal sealed class RequestShape(params Field[] fields)
{
    public IReadOnlyList<Field> Fields { get; } = fields;

    public MdesError? Validate(JsonObject json, string prefix = "")
    {
        foreach (var (name, _) in json)
        {
            if (!Fields.Any(f => f.Name == name))
            {
                return MdesError.Unrecognized(prefix + name);
            }
        }

        foreach (var field in Fields)
        {
            var error = Check(field, json[field.Name], prefix + field.Name);
            if (error is not null)
            {
                return field.Reason is null ? error : error with { ReasonCode = field.Reason };
            }
        }

        return null;
    }

    private static MdesError? Check(Field field, JsonNode? node, string path)
    {
        if (node is null)
        {
            return field.Required ? MdesError.Missing(path) : null;
        }

        switch (field.Kind)
        {
            case FieldKind.String:
                if (node.GetValueKind() != JsonValueKind.String)
                {
                    return MdesError.Format(path);
                }

                var value = node.GetValue<string>();
                if (value.Length < field.Min || value.Length > field.Max)
                {
                    return MdesError.Length(path);
                }

                if (field.Format is not null && !field.Format(value))
                {
                    return MdesError.Format(path);
                }

                if (field.OneOf is not null && !field.OneOf.Contains(value, StringComparer.Ordinal))
                {
                    return MdesError.Value(path);
                }

                return null;
            case FieldKind.Boolean:
                return node.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? null : MdesError.Format(path);
            case FieldKind.Number:
                return node.GetValueKind() == JsonValueKind.Number ? null : MdesError.Format(path);
            case FieldKind.Object:
                if (node is not JsonObject obj)
                {
                    return MdesError.Format(path);
                }

                return field.Nested?.Validate(obj, path + ".");
            default:
                if (node is not JsonArray array)
                {
                    return MdesError.Format(path);
                }

                if (array.Count < field.Min || array.Count > field.Max)
                {
                    return MdesError.Length(path);
                }

                foreach (var item in array)
                {
                    if (item is null || item.GetValueKind() != JsonValueKind.String)
                    {
                        return MdesError.Format(path);
                    }

                    if (field.Format is not null && !field.Format(item.GetValue<string>()))
                    {
                        return MdesError.Format(path);
                    }
                }

                return null;
        }
    }
}
