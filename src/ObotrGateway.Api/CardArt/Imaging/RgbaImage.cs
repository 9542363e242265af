namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>
/// A decoded raster: <see cref="Width"/> × <see cref="Height"/> pixels stored row-major as RGBA8 with straight
/// alpha (4 bytes per pixel, no row padding). Mutable on purpose: the compositor draws into it in place.
/// </summary>
internal sealed class RgbaImage
{
    public const int BytesPerPixel = 4;

    private readonly byte[] _pixels;

    public RgbaImage(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
        _pixels = new byte[checked(width * height * BytesPerPixel)];
    }

    /// <summary>Wraps (does not copy) <paramref name="pixels"/>, which must hold exactly width × height × 4 bytes.</summary>
    public RgbaImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.LongLength != (long)width * height * BytesPerPixel)
        {
            throw new ArgumentException($"Expected {(long)width * height * BytesPerPixel} bytes for {width}x{height} RGBA, got {pixels.LongLength}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        _pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The RGBA8 bytes, row-major; a view, not a copy.</summary>
    public Span<byte> Pixels => _pixels;

    public static RgbaImage Filled(int width, int height, Rgba32 color)
    {
        var image = new RgbaImage(width, height);
        image.Fill(color);
        return image;
    }

    public void Fill(Rgba32 color)
    {
        for (var i = 0; i < _pixels.Length; i += BytesPerPixel)
        {
            _pixels[i] = color.R;
            _pixels[i + 1] = color.G;
            _pixels[i + 2] = color.B;
            _pixels[i + 3] = color.A;
        }
    }

    public Rgba32 GetPixel(int x, int y)
    {
        var i = IndexOf(x, y);
        return new Rgba32(_pixels[i], _pixels[i + 1], _pixels[i + 2], _pixels[i + 3]);
    }

    public void SetPixel(int x, int y, Rgba32 color)
    {
        var i = IndexOf(x, y);
        _pixels[i] = color.R;
        _pixels[i + 1] = color.G;
        _pixels[i + 2] = color.B;
        _pixels[i + 3] = color.A;
    }

    /// <summary>Copies the pixels inside <paramref name="area"/> (which must lie inside this image) to a new image.</summary>
    public RgbaImage Crop(PixelRect area)
    {
        if (area.IsEmpty || area.X < 0 || area.Y < 0 || area.Right > Width || area.Bottom > Height)
        {
            throw new ArgumentOutOfRangeException(nameof(area), area, $"Must be a non-empty area inside {Width}x{Height}.");
        }

        var result = new RgbaImage(area.Width, area.Height);
        var rowBytes = area.Width * BytesPerPixel;
        for (var y = 0; y < area.Height; y++)
        {
            _pixels.AsSpan(IndexOf(area.X, area.Y + y), rowBytes).CopyTo(result._pixels.AsSpan(y * rowBytes, rowBytes));
        }

        return result;
    }

    public RgbaImage Clone() => new(Width, Height, (byte[])_pixels.Clone());

    private int IndexOf(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"({x}, {y}) is outside {Width}x{Height}.");
        }

        return ((y * Width) + x) * BytesPerPixel;
    }
}
