namespace ObotrGateway.UnitTests.CardArt.Imaging;

/// <summary>
/// A deterministic test picture in any PNG colour type and bit depth: raw samples, scanlines, the RGBA8 the
/// spec says a decoder must produce, and an encoding made with <see cref="TestPng"/>.
/// </summary>
internal sealed class SampleImage
{
    private readonly int _channels;

    public SampleImage(int width, int height, byte colorType, byte depth)
    {
        Width = width;
        Height = height;
        ColorType = colorType;
        Depth = depth;
        _channels = colorType switch { 2 => 3, 4 => 2, 6 => 4, _ => 1 };
        if (colorType == 3)
        {
            var count = depth == 8 ? 20 : 1 << depth;
            Palette = [.. Enumerable.Range(0, count).SelectMany(i => new[] { (byte)(i * 50), (byte)(255 - (i * 9)), (byte)(i * 13) })];
            PaletteAlpha = [.. Enumerable.Range(0, (count + 1) / 2).Select(i => (byte)(i * 40))];
        }

        ExpectedRgba = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                Expected(x, y).CopyTo(ExpectedRgba, ((y * width) + x) * 4);
            }
        }

        Scanlines = [.. Enumerable.Range(0, height).Select(y => Row(Enumerable.Range(0, width).Select(x => (x, y))))];
    }

    public int Width { get; }

    public int Height { get; }

    public byte ColorType { get; }

    public byte Depth { get; }

    public byte[]? Palette { get; }

    public byte[]? PaletteAlpha { get; }

    public byte[] ExpectedRgba { get; }

    public IReadOnlyList<byte[]> Scanlines { get; }

    public byte[] Encode(byte filter, bool interlaced)
    {
        var bytesPerPixel = Math.Max(1, _channels * Depth / 8);
        var passes = interlaced ? Passes() : [Scanlines];
        var chunks = new List<byte[]> { TestPng.Ihdr(Width, Height, Depth, ColorType, interlaced ? (byte)1 : (byte)0) };
        if (Palette is not null)
        {
            chunks.Add(TestPng.Chunk("PLTE", Palette));
            chunks.Add(TestPng.Chunk("tRNS", PaletteAlpha));
        }

        chunks.Add(TestPng.Chunk("IDAT", TestPng.Deflate(TestPng.FilteredStream(passes, filter, bytesPerPixel))));
        chunks.Add(TestPng.Iend());
        return TestPng.File([.. chunks]);
    }

    private List<IReadOnlyList<byte[]>> Passes()
    {
        var passes = new List<IReadOnlyList<byte[]>>();
        foreach (var (x0, y0, dx, dy) in TestPng.Adam7)
        {
            var columns = Enumerable.Range(0, Width).Where(x => x >= x0 && (x - x0) % dx == 0).ToList();
            var rows = Enumerable.Range(0, Height).Where(y => y >= y0 && (y - y0) % dy == 0).ToList();
            if (columns.Count > 0 && rows.Count > 0)
            {
                passes.Add([.. rows.Select(y => Row(columns.Select(x => (x, y))))]);
            }
        }

        return passes;
    }

    private byte[] Row(IEnumerable<(int X, int Y)> pixels) =>
        TestPng.Pack([.. pixels.SelectMany(p => Enumerable.Range(0, _channels).Select(c => Sample(p.X, p.Y, c)))], Depth);

    private int Sample(int x, int y, int channel)
    {
        var seed = (x * 31) + (y * 17) + (channel * 71) + (x * y * 3) + 5;
        if (ColorType == 3)
        {
            return seed % (Palette!.Length / 3);
        }

        return Depth == 16 ? (((seed * 7) & 0xFF) << 8) | ((seed * 13) & 0xFF) : seed % (1 << Depth);
    }

    private byte To8(int sample) => Depth switch
    {
        16 => (byte)(sample >> 8),
        8 => (byte)sample,
        _ => (byte)(sample * 255 / ((1 << Depth) - 1)),
    };

    private byte[] Expected(int x, int y)
    {
        switch (ColorType)
        {
            case 0:
                var grey = To8(Sample(x, y, 0));
                return [grey, grey, grey, 255];
            case 2:
                return [To8(Sample(x, y, 0)), To8(Sample(x, y, 1)), To8(Sample(x, y, 2)), 255];
            case 3:
                var index = Sample(x, y, 0);
                var alpha = index < PaletteAlpha!.Length ? PaletteAlpha[index] : (byte)255;
                return [Palette![index * 3], Palette[(index * 3) + 1], Palette[(index * 3) + 2], alpha];
            case 4:
                var g = To8(Sample(x, y, 0));
                return [g, g, g, To8(Sample(x, y, 1))];
            default:
                return [To8(Sample(x, y, 0)), To8(Sample(x, y, 1)), To8(Sample(x, y, 2)), To8(Sample(x, y, 3))];
        }
    }
}
