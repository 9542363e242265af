using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ObotrGateway.Api.Mdes.Wire;

/// <summary>Serializer settings for the MDES wire: camelCase, nulls omitted, numbers tolerated as strings.</summary>
internal static class MdesJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}

/// <summary>
/// Spec versions disagree on booleans (<c>dsrpCapable</c>, <c>includeTokenDetail</c>): 1.3.3 sends
/// <c>"true"</c>, 1.3.0 sends <c>true</c>. Read both; write the string form, which every version accepts.
/// </summary>
internal sealed class FlexibleBooleanConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.String when bool.TryParse(reader.GetString(), out var value) => value,
        _ => throw new JsonException("Expected a boolean or \"true\"/\"false\"."),
    };

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value ? "true" : "false");
}

/// <summary>Spec versions type some identifiers and sizes as numbers, others as strings; keep them as strings.</summary>
internal sealed class FlexibleStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => reader.TryGetInt64(out var integer)
            ? integer.ToString(CultureInfo.InvariantCulture)
            : reader.GetDecimal().ToString(CultureInfo.InvariantCulture),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => null,
        _ => throw new JsonException("Expected a string or number."),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>
/// <c>PhoneNumber.countryDialInCode</c> and <c>phoneNumber</c> are numbers in the 1.3.0 spec (the simulator
/// validates them as such). Read either form; write the digits as a JSON number. A number cannot carry a
/// leading zero or separators, so "07777 777 777" is written 7777777777 — the national trunk zero is not part of
/// the subscriber number once the dial-in code is given. A value without digits is not written as a number.
/// </summary>
internal sealed class PhoneNumberConverter : JsonConverter<string>
{
    private static readonly FlexibleStringConverter Reader = new();

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Reader.Read(ref reader, typeToConvert, options);

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        var digits = string.Concat(value.Where(char.IsAsciiDigit)).TrimStart('0');
        if (digits.Length is 0 or > 18 || value.Any(c => char.IsAsciiLetter(c)))
        {
            throw new JsonException("A phone number must hold 1 to 18 significant digits.");
        }

        writer.WriteNumberValue(long.Parse(digits, CultureInfo.InvariantCulture));
    }
}
