using SkiaSharp;

namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>
/// The PAN suffix font: a subset of DejaVu Sans Mono (space, digits, '•'; CardArt/Fonts/README.md) embedded in
/// the assembly, so every machine draws the same pixels and the native library needs no system fonts. The size
/// is the largest whole pixel size at which the longest text ("•••• " and four digits) fits
/// <see cref="CardArtLayout.PanTextArea"/>; the baseline puts the lowest ink on the area's bottom edge.
/// </summary>
internal static class PanTextFont
{
    private const string ResourceName = "ObotrGateway.Api.CardArt.Fonts.DejaVuSansMono-PanDigits.ttf";

    // Every glyph the font has, for the vertical extent; the widest text for the horizontal one (monospaced).
    private const string AllGlyphs = "\u2022 0123456789";
    private const string WidestText = "\u2022\u2022\u2022\u2022 8888";

    private static readonly SKTypeface Typeface = Load();

    /// <summary>Pixel size of the text.</summary>
    public static float Size { get; }

    /// <summary>Distance from the baseline to the bottom of the lowest glyph, at <see cref="Size"/>.</summary>
    public static float Descent { get; }

    static PanTextFont()
    {
        var area = CardArtLayout.PanTextArea;
        using var font = NewFont(100);
        font.MeasureText(AllGlyphs, out var glyphs);
        var width = font.MeasureText(WidestText, out var widest);
        var fitted = MathF.Floor(100 * MathF.Min(area.Height / glyphs.Height, area.Width / MathF.Max(width, widest.Right)));
        Size = fitted;
        using var sized = NewFont(fitted);
        sized.MeasureText(AllGlyphs, out var bounds);
        Descent = MathF.Max(bounds.Bottom, 0);
    }

    /// <summary>An anti-aliased font at <see cref="Size"/>; SKFont is mutable, so each drawing gets its own.</summary>
    public static SKFont NewFont() => NewFont(Size);

    private static SKFont NewFont(float size) => new(Typeface, size)
    {
        Edging = SKFontEdging.Antialias,
        Subpixel = true,
        Hinting = SKFontHinting.None,
    };

    private static SKTypeface Load()
    {
        using var stream = typeof(PanTextFont).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded font {ResourceName} is missing from the build.");
        return SKTypeface.FromStream(stream)
            ?? throw new InvalidOperationException($"Embedded font {ResourceName} could not be loaded.");
    }
}
