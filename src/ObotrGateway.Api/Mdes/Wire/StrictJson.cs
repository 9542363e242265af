using System.Text.Json;

namespace ObotrGateway.Api.Mdes.Wire;

/// <summary>
/// What JSON from outside must be before anything reads it: one value per member name, text that is valid Unicode and
/// free of NUL (PostgreSQL's text and jsonb refuse U+0000), nesting within reason. System.Text.Json accepts the first two
/// and a later step throws (a duplicate key in JsonObject, a lone surrogate when the text is encoded again), which turned
/// such bodies into 5xx. Used on MDES callbacks, before and after decryption.
/// </summary>
internal static class StrictJson
{
    public const int MaxDepth = 32;

    public const string Malformed = "malformed_json";
    public const string DuplicateMember = "duplicate_member";
    public const string InvalidUnicode = "invalid_unicode";
    public const string NulCharacter = "nul_character";

    /// <summary>Null when the JSON is acceptable, otherwise which rule it breaks (a constant above; never any content).</summary>
    public static string? Problem(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
        var members = new Stack<HashSet<string>?>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        members.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.StartArray:
                        members.Push(null);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        members.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        // GetString throws InvalidOperationException on invalid UTF-8 and on a lone surrogate escape.
                        var name = reader.GetString()!;
                        if (name.Contains('\0', StringComparison.Ordinal))
                        {
                            return NulCharacter;
                        }

                        if (!members.Peek()!.Add(name))
                        {
                            return DuplicateMember;
                        }

                        break;
                    case JsonTokenType.String when reader.GetString()!.Contains('\0', StringComparison.Ordinal):
                        return NulCharacter;
                    default:
                        break;
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return Malformed;
        }
        catch (InvalidOperationException)
        {
            return InvalidUnicode;
        }
    }
}
