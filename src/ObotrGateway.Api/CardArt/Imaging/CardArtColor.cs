using System.Globalization;
using SkiaSharp;

namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>productConfig colours. Not <c>SKColor.TryParse</c>: that also takes 4- and 8-digit forms with alpha, which MDES does not send.</summary>
internal static class CardArtColor
{
    /// <summary>Hex RGB of 3 ("FFF") or 6 ("1A2B3C") digits, optional leading '#'; opaque.</summary>
    public static bool TryParseHex(string? value, out SKColor color)
    {
        color = default;
        var hex = value.AsSpan().Trim();
        if (hex.StartsWith("#"))
        {
            hex = hex[1..];
        }

        if (hex.Length is not (3 or 6) || !uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var rgb))
        {
            return false;
        }

        color = hex.Length == 3
            // "ABC" means "AABBCC": each nibble is repeated (x * 17).
            ? new SKColor((byte)(((rgb >> 8) & 0xF) * 17), (byte)(((rgb >> 4) & 0xF) * 17), (byte)((rgb & 0xF) * 17))
            : new SKColor((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
        return true;
    }
}
