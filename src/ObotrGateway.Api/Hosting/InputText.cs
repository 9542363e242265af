using System.Text;

namespace ObotrGateway.Api.Hosting;

/// <summary>
/// What text the API accepts anywhere (JSON strings, member names, query strings, route values): well-formed
/// Unicode without control characters other than tab, CR and LF. PostgreSQL refuses a NUL in text (SQLSTATE
/// 22021) and a lone surrogate cannot be encoded as UTF-8, so either would otherwise surface as a 500 deep in
/// a handler; refusing them at the edge makes them a 400 that names the field.
/// </summary>
internal static class InputText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool IsAcceptable(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || (char.IsControl(c) && c is not ('\t' or '\r' or '\n')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The first name=value pair of a raw query string (with or without its leading '?') whose name or value is
    /// not acceptable text once percent-decoded as UTF-8; null when all are. The framework's own parser turns
    /// invalid UTF-8 into U+FFFD silently, so this reads the raw bytes.
    /// </summary>
    public static string? FirstUnacceptableQueryParameter(string? rawQuery)
    {
        if (string.IsNullOrEmpty(rawQuery))
        {
            return null;
        }

        foreach (var pair in rawQuery.TrimStart('?').Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            if (name is null || !IsAcceptable(name))
            {
                return "query";
            }

            var value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            if (value is null || !IsAcceptable(value))
            {
                return "query." + name;
            }
        }

        return null;
    }

    /// <summary>Percent-decodes one query component ('+' is a space) as strict UTF-8; null when the bytes are not UTF-8.</summary>
    internal static string? Decode(string component)
    {
        if (component.AsSpan().IndexOfAny('%', '+') < 0)
        {
            return component;
        }

        var bytes = new List<byte>(component.Length);
        try
        {
            for (var i = 0; i < component.Length; i++)
            {
                var c = component[i];
                if (c == '%' && i + 2 < component.Length && char.IsAsciiHexDigit(component[i + 1]) && char.IsAsciiHexDigit(component[i + 2]))
                {
                    bytes.Add(Convert.FromHexString(component.AsSpan(i + 1, 2))[0]);
                    i += 2;
                }
                else if (char.IsAscii(c))
                {
                    bytes.Add(c == '+' ? (byte)' ' : (byte)c); // a stray '%' stays literal, as the framework's parser keeps it
                }
                else
                {
                    var length = char.IsHighSurrogate(c) && i + 1 < component.Length ? 2 : 1;
                    bytes.AddRange(StrictUtf8.GetBytes(component.ToCharArray(i, length)));
                    i += length - 1;
                }
            }

            return StrictUtf8.GetString([.. bytes]);
        }
        catch (ArgumentException)
        {
            // DecoderFallbackException / EncoderFallbackException: invalid UTF-8 bytes or a lone surrogate.
            return null;
        }
    }
}
