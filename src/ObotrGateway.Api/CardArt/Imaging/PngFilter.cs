namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>
/// The five PNG scanline filters (PNG spec §9). Filters work on bytes, not pixels: "left" is the byte one whole
/// pixel back (<c>bytesPerPixel</c>, at least 1 for sub-byte depths) and "up" is the same byte of the previous
/// scanline, which is all zeros for the first row of the image (and of each Adam7 pass).
/// </summary>
internal static class PngFilter
{
    public const byte None = 0;
    public const byte Sub = 1;
    public const byte Up = 2;
    public const byte Average = 3;
    public const byte Paeth = 4;

    /// <summary>Reverses filter <paramref name="filterType"/> in place on <paramref name="current"/>.</summary>
    public static void Unfilter(byte filterType, Span<byte> current, ReadOnlySpan<byte> previous, int bytesPerPixel)
    {
        switch (filterType)
        {
            case None:
                break;
            case Sub:
                for (var i = bytesPerPixel; i < current.Length; i++)
                {
                    current[i] += current[i - bytesPerPixel];
                }

                break;
            case Up:
                for (var i = 0; i < current.Length; i++)
                {
                    current[i] += previous[i];
                }

                break;
            case Average:
                for (var i = 0; i < current.Length; i++)
                {
                    var left = i >= bytesPerPixel ? current[i - bytesPerPixel] : 0;
                    // The sum must not wrap at 8 bits before halving (spec: computed without overflow).
                    current[i] += (byte)((left + previous[i]) >> 1);
                }

                break;
            case Paeth:
                for (var i = 0; i < current.Length; i++)
                {
                    var left = i >= bytesPerPixel ? current[i - bytesPerPixel] : (byte)0;
                    var upLeft = i >= bytesPerPixel ? previous[i - bytesPerPixel] : (byte)0;
                    current[i] += PaethPredictor(left, previous[i], upLeft);
                }

                break;
            default:
                throw new PngFormatException($"Invalid scanline filter type {filterType}; PNG defines 0 to 4.");
        }
    }

    /// <summary>Applies filter <paramref name="filterType"/> to <paramref name="raw"/>, writing into <paramref name="filtered"/>.</summary>
    public static void Apply(byte filterType, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> previous, int bytesPerPixel, Span<byte> filtered)
    {
        // One loop per filter: the encoder tries all five on every row, so keep the switch out of the hot loop.
        switch (filterType)
        {
            case None:
                raw.CopyTo(filtered);
                break;
            case Sub:
                for (var i = 0; i < raw.Length; i++)
                {
                    filtered[i] = (byte)(raw[i] - (i >= bytesPerPixel ? raw[i - bytesPerPixel] : 0));
                }

                break;
            case Up:
                for (var i = 0; i < raw.Length; i++)
                {
                    filtered[i] = (byte)(raw[i] - previous[i]);
                }

                break;
            case Average:
                for (var i = 0; i < raw.Length; i++)
                {
                    var left = i >= bytesPerPixel ? raw[i - bytesPerPixel] : 0;
                    filtered[i] = (byte)(raw[i] - ((left + previous[i]) >> 1));
                }

                break;
            case Paeth:
                for (var i = 0; i < raw.Length; i++)
                {
                    var left = i >= bytesPerPixel ? raw[i - bytesPerPixel] : (byte)0;
                    var upLeft = i >= bytesPerPixel ? previous[i - bytesPerPixel] : (byte)0;
                    filtered[i] = (byte)(raw[i] - PaethPredictor(left, previous[i], upLeft));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(filterType), filterType, "PNG defines filter types 0 to 4.");
        }
    }

    /// <summary>Picks whichever of a, b, c is closest to a + b − c; ties go a, then b (the order is normative).</summary>
    public static byte PaethPredictor(byte left, byte up, byte upLeft)
    {
        var estimate = left + up - upLeft;
        var distanceLeft = Math.Abs(estimate - left);
        var distanceUp = Math.Abs(estimate - up);
        var distanceUpLeft = Math.Abs(estimate - upLeft);
        if (distanceLeft <= distanceUp && distanceLeft <= distanceUpLeft)
        {
            return left;
        }

        return distanceUp <= distanceUpLeft ? up : upLeft;
    }
}
