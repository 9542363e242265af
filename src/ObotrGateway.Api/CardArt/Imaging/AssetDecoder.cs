using SkiaSharp;

namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>
/// Decodes one PNG component through Skia's codec. Deliberately not <c>SKBitmap.Decode</c>: that throws
/// <see cref="ArgumentNullException"/> on bytes it cannot read and returns a partly transparent image for a
/// truncated file without saying so. Here the size comes from the header and is refused before any pixel is
/// inflated, and anything short of a complete decode (IncompleteInput included) is an invalid image.
/// </summary>
internal static class AssetDecoder
{
    /// <summary>Largest accepted side, in pixels (MDES card art is 1536×969; this leaves room and bounds memory).</summary>
    public const int MaxSide = 8192;

    /// <summary>Largest accepted pixel count: 160 MB of RGBA at most.</summary>
    public const long MaxPixels = 40_000_000;

    /// <summary>The decoded image (premultiplied RGBA8, caller disposes), or null and why not.</summary>
    public static SKBitmap? TryDecodePng(ReadOnlySpan<byte> content, out string problem)
    {
        using var data = SKData.CreateCopy(content);
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            problem = "Not an image the decoder recognises (bad signature or header).";
            return null;
        }

        if (codec.EncodedFormat != SKEncodedImageFormat.Png)
        {
            problem = $"Not a PNG ({codec.EncodedFormat}).";
            return null;
        }

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0 || width > MaxSide || height > MaxSide || (long)width * height > MaxPixels)
        {
            problem = $"Image of {width}×{height} pixels is outside the accepted size (at most {MaxSide} per side and {MaxPixels} pixels).";
            return null;
        }

        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            problem = $"The image data did not decode completely ({result}).";
            return null;
        }

        bitmap.SetImmutable();
        problem = string.Empty;
        return bitmap;
    }
}
