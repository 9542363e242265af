using System.Globalization;

namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>One pixel, 8 bits per channel, straight (not premultiplied) alpha.</summary>
internal readonly record struct Rgba32(byte R, byte G, byte B, byte A)
{
    public static Rgba32 Opaque(byte r, byte g, byte b) => new(r, g, b, 255);

    public static readonly Rgba32 Transparent = new(0, 0, 0, 0);

    /// <summary>
    /// Parses an MDES productConfig colour: hex RGB of 3 ("FFF") or 6 ("1A2B3C") digits, optional leading '#'.
    /// </summary>
    public static bool TryParseHex(string? value, out Rgba32 color)
    {
        color = default;
        if (value is null)
        {
            return false;
        }

        var hex = value.AsSpan().Trim();
        if (hex.StartsWith("#"))
        {
            hex = hex[1..];
        }

        if (hex.Length is not (3 or 6) || !uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var rgb))
        {
            return false;
        }

        if (hex.Length == 3)
        {
            // "ABC" means "AABBCC": each nibble is repeated (x * 17).
            color = Opaque((byte)(((rgb >> 8) & 0xF) * 17), (byte)(((rgb >> 4) & 0xF) * 17), (byte)((rgb & 0xF) * 17));
        }
        else
        {
            color = Opaque((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
        }

        return true;
    }

    public override string ToString() => $"#{R:X2}{G:X2}{B:X2}{A:X2}";
}
