namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>
/// A tiny built-in 5×7 bitmap font (no font package is available here), enough for "•••• 1234": digits 0–9,
/// space, '•' (U+2022 bullet), '*' and '-'. Each glyph is drawn as solid squares of <c>scale</c> × <c>scale</c>
/// pixels with one empty column between glyphs, so at scale 8 a glyph is 40×56 and advances 48 pixels.
/// No anti-aliasing: the blocky look is deliberate and keeps every pixel exactly the foreground colour.
/// </summary>
internal static class BitmapFont
{
    public const int GlyphWidth = 5;
    public const int GlyphHeight = 7;

    /// <summary>Empty columns after each glyph.</summary>
    public const int Spacing = 1;

    // Rows top to bottom; bit 4 is the leftmost column.
    private static readonly Dictionary<char, byte[]> Glyphs = new()
    {
        ['0'] = [0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110],
        ['1'] = [0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110],
        ['2'] = [0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111],
        ['3'] = [0b11111, 0b00010, 0b00100, 0b00010, 0b00001, 0b10001, 0b01110],
        ['4'] = [0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010],
        ['5'] = [0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110],
        ['6'] = [0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110],
        ['7'] = [0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000],
        ['8'] = [0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110],
        ['9'] = [0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100],
        [' '] = [0, 0, 0, 0, 0, 0, 0],
        ['\u2022'] = [0, 0, 0b01110, 0b01110, 0b01110, 0, 0],
        ['*'] = [0, 0b00100, 0b10101, 0b01110, 0b10101, 0b00100, 0],
        ['-'] = [0, 0, 0, 0b11111, 0, 0, 0],
    };

    public static bool CanRender(char c) => Glyphs.ContainsKey(c);

    public static bool CanRender(string text) => text is not null && text.All(CanRender);

    /// <summary>Pixel width of <paramref name="length"/> glyphs at <paramref name="scale"/> (no trailing spacing).</summary>
    public static int MeasureWidth(int length, int scale) =>
        length <= 0 ? 0 : ((length * (GlyphWidth + Spacing)) - Spacing) * scale;

    public static int MeasureHeight(int scale) => GlyphHeight * scale;

    /// <summary>
    /// Draws <paramref name="text"/> with its top-left corner at (<paramref name="left"/>, <paramref name="top"/>),
    /// clipped to the image. Only set glyph cells are painted; everything else is left untouched.
    /// </summary>
    public static void Draw(RgbaImage image, string text, int left, int top, int scale, Rgba32 color)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        for (var i = 0; i < text.Length; i++)
        {
            if (!Glyphs.TryGetValue(text[i], out var rows))
            {
                throw new ArgumentException($"The built-in font has no glyph for U+{(int)text[i]:X4}.", nameof(text));
            }

            var glyphLeft = left + (i * (GlyphWidth + Spacing) * scale);
            for (var row = 0; row < GlyphHeight; row++)
            {
                for (var column = 0; column < GlyphWidth; column++)
                {
                    if ((rows[row] & (1 << (GlyphWidth - 1 - column))) != 0)
                    {
                        FillCell(image, glyphLeft + (column * scale), top + (row * scale), scale, color);
                    }
                }
            }
        }
    }

    private static void FillCell(RgbaImage image, int left, int top, int scale, Rgba32 color)
    {
        for (var y = Math.Max(0, top); y < Math.Min(image.Height, top + scale); y++)
        {
            for (var x = Math.Max(0, left); x < Math.Min(image.Width, left + scale); x++)
            {
                image.SetPixel(x, y, color);
            }
        }
    }
}
