namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>
/// Resizing. One separable resampler covers both directions: shrinking averages exactly the source area each
/// target pixel covers (box / area-averaging, so no aliasing); enlarging interpolates bilinearly between the two
/// nearest source pixels. Work happens on premultiplied alpha: a transparent pixel's colour bytes are
/// meaningless (often black) and averaging them straight would bleed dark fringes around a logo's edges.
/// </summary>
internal static class ImageScaler
{
    /// <summary>
    /// The largest size with the source's aspect ratio that fits inside <paramref name="maxWidth"/> ×
    /// <paramref name="maxHeight"/> (scales up as well as down). Never exceeds either bound; never below 1×1.
    /// </summary>
    public static (int Width, int Height) FitWithin(int sourceWidth, int sourceHeight, int maxWidth, int maxHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxHeight);

        // Compare the ratios by cross-multiplying so the limiting side is exact and only the other side rounds.
        if ((long)sourceWidth * maxHeight >= (long)sourceHeight * maxWidth)
        {
            var height = (int)Math.Round((double)sourceHeight * maxWidth / sourceWidth, MidpointRounding.AwayFromZero);
            return (maxWidth, Math.Clamp(height, 1, maxHeight));
        }

        var width = (int)Math.Round((double)sourceWidth * maxHeight / sourceHeight, MidpointRounding.AwayFromZero);
        return (Math.Clamp(width, 1, maxWidth), maxHeight);
    }

    /// <summary>Resizes to fit inside the box keeping the aspect ratio (see <see cref="FitWithin"/>).</summary>
    public static RgbaImage ResizeToFit(RgbaImage source, int maxWidth, int maxHeight)
    {
        ArgumentNullException.ThrowIfNull(source);
        var (width, height) = FitWithin(source.Width, source.Height, maxWidth, maxHeight);
        return Resize(source, width, height);
    }

    /// <summary>
    /// Scales to cover <paramref name="width"/> × <paramref name="height"/> keeping the aspect ratio, cropping the
    /// overflow equally from both sides (CSS <c>object-fit: cover</c>). No distortion, no empty bands.
    /// </summary>
    public static RgbaImage ResizeToCover(RgbaImage source, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var crop = new PixelRect(0, 0, source.Width, source.Height);
        if ((long)source.Width * height > (long)source.Height * width)
        {
            // Source is wider than the target: keep full height, trim left and right.
            var keep = (int)Math.Clamp(Math.Round((double)source.Height * width / height), 1, source.Width);
            crop = new PixelRect((source.Width - keep) / 2, 0, keep, source.Height);
        }
        else if ((long)source.Width * height < (long)source.Height * width)
        {
            var keep = (int)Math.Clamp(Math.Round((double)source.Width * height / width), 1, source.Height);
            crop = new PixelRect(0, (source.Height - keep) / 2, source.Width, keep);
        }

        var cropped = crop.Width == source.Width && crop.Height == source.Height ? source : source.Crop(crop);
        return Resize(cropped, width, height);
    }

    /// <summary>Resizes to exactly <paramref name="width"/> × <paramref name="height"/> (may distort). Same size returns a copy.</summary>
    public static RgbaImage Resize(RgbaImage source, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (width == source.Width && height == source.Height)
        {
            return source.Clone();
        }

        var premultiplied = Premultiply(source);
        var horizontal = ResampleAxis(premultiplied, source.Width, source.Height, width, horizontal: true);
        var both = ResampleAxis(horizontal, width, source.Height, height, horizontal: false);
        return Unpremultiply(both, width, height);
    }

    private static float[] Premultiply(RgbaImage source)
    {
        var pixels = source.Pixels;
        var result = new float[pixels.Length];
        for (var i = 0; i < pixels.Length; i += 4)
        {
            var alpha = pixels[i + 3] / 255f;
            result[i] = pixels[i] * alpha;
            result[i + 1] = pixels[i + 1] * alpha;
            result[i + 2] = pixels[i + 2] * alpha;
            result[i + 3] = pixels[i + 3];
        }

        return result;
    }

    private static RgbaImage Unpremultiply(float[] values, int width, int height)
    {
        var image = new RgbaImage(width, height);
        var pixels = image.Pixels;
        for (var i = 0; i < values.Length; i += 4)
        {
            var alpha = values[i + 3];
            var alphaByte = ToByte(alpha);
            if (alphaByte == 0)
            {
                continue; // Fully transparent: colour is irrelevant, keep (0, 0, 0, 0).
            }

            var scale = 255f / alpha;
            pixels[i] = ToByte(values[i] * scale);
            pixels[i + 1] = ToByte(values[i + 1] * scale);
            pixels[i + 2] = ToByte(values[i + 2] * scale);
            pixels[i + 3] = alphaByte;
        }

        return image;
    }

    private static byte ToByte(float value) => (byte)Math.Clamp((int)MathF.Round(value), 0, 255);

    /// <summary>Resamples one axis of a premultiplied RGBA float buffer (rows are <paramref name="width"/> wide).</summary>
    private static float[] ResampleAxis(float[] source, int width, int height, int targetLength, bool horizontal)
    {
        var sourceLength = horizontal ? width : height;
        var (starts, weights) = Contributions(sourceLength, targetLength);
        var targetWidth = horizontal ? targetLength : width;
        var targetHeight = horizontal ? height : targetLength;
        var result = new float[targetWidth * targetHeight * 4];
        for (var y = 0; y < targetHeight; y++)
        {
            for (var x = 0; x < targetWidth; x++)
            {
                var target = horizontal ? x : y;
                var rowWeights = weights[target];
                float r = 0, g = 0, b = 0, a = 0;
                for (var k = 0; k < rowWeights.Length; k++)
                {
                    var s = starts[target] + k;
                    var index = horizontal ? ((y * width) + s) * 4 : ((s * width) + x) * 4;
                    var w = rowWeights[k];
                    r += source[index] * w;
                    g += source[index + 1] * w;
                    b += source[index + 2] * w;
                    a += source[index + 3] * w;
                }

                var o = ((y * targetWidth) + x) * 4;
                result[o] = r;
                result[o + 1] = g;
                result[o + 2] = b;
                result[o + 3] = a;
            }
        }

        return result;
    }

    /// <summary>
    /// For each target index, the first source index and the weights of consecutive source samples (summing to 1).
    /// </summary>
    private static (int[] Starts, float[][] Weights) Contributions(int sourceLength, int targetLength)
    {
        var starts = new int[targetLength];
        var weights = new float[targetLength][];
        var ratio = (double)sourceLength / targetLength;
        for (var i = 0; i < targetLength; i++)
        {
            if (targetLength < sourceLength)
            {
                // Area averaging: target pixel i covers source interval [i·ratio, (i+1)·ratio).
                var from = i * ratio;
                var to = Math.Min(sourceLength, (i + 1) * ratio);
                var first = (int)Math.Floor(from);
                var last = Math.Min(sourceLength - 1, (int)Math.Ceiling(to) - 1);
                var w = new float[last - first + 1];
                for (var s = first; s <= last; s++)
                {
                    w[s - first] = (float)((Math.Min(to, s + 1) - Math.Max(from, s)) / ratio);
                }

                starts[i] = first;
                weights[i] = Normalize(w);
            }
            else
            {
                // Bilinear: sample at the target pixel's centre mapped into source space, clamped at the edges.
                var centre = ((i + 0.5) * ratio) - 0.5;
                var left = (int)Math.Floor(centre);
                var t = (float)(centre - left);
                var a = Math.Clamp(left, 0, sourceLength - 1);
                var b = Math.Clamp(left + 1, 0, sourceLength - 1);
                if (a == b || t == 0f)
                {
                    starts[i] = a;
                    weights[i] = [1f];
                }
                else
                {
                    starts[i] = a;
                    weights[i] = [1f - t, t];
                }
            }
        }

        return (starts, weights);
    }

    private static float[] Normalize(float[] weights)
    {
        var sum = 0f;
        foreach (var w in weights)
        {
            sum += w;
        }

        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] /= sum;
        }

        return weights;
    }
}
