namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>Porter-Duff "source over" on straight-alpha RGBA8 images.</summary>
internal static class AlphaCompositor
{
    /// <summary>
    /// Draws <paramref name="source"/> over <paramref name="destination"/> with its top-left corner at
    /// (<paramref name="left"/>, <paramref name="top"/>); parts falling outside the destination are clipped.
    /// </summary>
    public static void DrawOver(RgbaImage destination, RgbaImage source, int left, int top)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(source);
        var fromX = Math.Max(0, -left);
        var fromY = Math.Max(0, -top);
        var toX = Math.Min(source.Width, destination.Width - left);
        var toY = Math.Min(source.Height, destination.Height - top);
        var src = source.Pixels;
        var dst = destination.Pixels;
        for (var y = fromY; y < toY; y++)
        {
            for (var x = fromX; x < toX; x++)
            {
                var s = ((y * source.Width) + x) * 4;
                var d = (((top + y) * destination.Width) + left + x) * 4;
                Blend(src.Slice(s, 4), dst.Slice(d, 4));
            }
        }
    }

    /// <summary>
    /// out.a = s.a + d.a·(1 − s.a); out.c = (s.c·s.a + d.c·d.a·(1 − s.a)) / out.a. Straight alpha means the
    /// colours must be weighted by their alphas before mixing and divided back afterwards.
    /// </summary>
    public static void Blend(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int sourceAlpha = source[3];
        if (sourceAlpha == 255)
        {
            source[..4].CopyTo(destination);
            return;
        }

        if (sourceAlpha == 0)
        {
            return;
        }

        // Everything scaled by 255·255 so integer division with rounding stays exact to ±0.5.
        var destinationWeight = destination[3] * (255 - sourceAlpha);
        var outAlpha255 = (sourceAlpha * 255) + destinationWeight;
        for (var c = 0; c < 3; c++)
        {
            var numerator = (source[c] * sourceAlpha * 255) + (destination[c] * destinationWeight);
            destination[c] = (byte)((numerator + (outAlpha255 / 2)) / outAlpha255);
        }

        destination[3] = (byte)((outAlpha255 + 127) / 255);
    }
}
