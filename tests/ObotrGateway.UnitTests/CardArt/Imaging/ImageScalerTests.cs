using ObotrGateway.Api.CardArt.Imaging;

namespace ObotrGateway.UnitTests.CardArt.Imaging;

public sealed class ImageScalerTests
{
    [Theory]
    [InlineData(1000, 500, 1372, 283, 566, 283)]
    [InlineData(100, 100, 459, 283, 283, 283)]
    [InlineData(2000, 100, 1372, 283, 1372, 69)]
    [InlineData(459, 283, 459, 283, 459, 283)]
    [InlineData(1, 1000, 459, 283, 1, 283)]
    [InlineData(5000, 1, 459, 283, 459, 1)]
    public void FitWithin_known_sizes_give_expected_box(int width, int height, int maxWidth, int maxHeight, int expectedWidth, int expectedHeight) =>
        ImageScaler.FitWithin(width, height, maxWidth, maxHeight).ShouldBe((expectedWidth, expectedHeight));

    [Fact]
    public void FitWithin_any_size_keeps_aspect_ratio_and_never_exceeds_the_area()
    {
        int[] sides = [1, 2, 3, 7, 50, 99, 283, 459, 640, 1372, 1373, 4000];
        foreach (var width in sides)
        {
            foreach (var height in sides)
            {
                var (fitWidth, fitHeight) = ImageScaler.FitWithin(width, height, 459, 283);

                fitWidth.ShouldBeInRange(1, 459);
                fitHeight.ShouldBeInRange(1, 283);
                (fitWidth == 459 || fitHeight == 283).ShouldBeTrue($"{width}x{height} should touch a side");
                // Aspect kept up to rounding of the non-limiting side by half a pixel.
                if (fitWidth > 1 && fitHeight > 1)
                {
                    Math.Abs((fitWidth * (double)height) - (fitHeight * (double)width)).ShouldBeLessThanOrEqualTo(Math.Max(width, height) * 0.5 + 1e-9);
                }
            }
        }
    }

    [Theory]
    [InlineData(37, 23)]
    [InlineData(250, 180)]
    [InlineData(100, 5)]
    [InlineData(1, 1)]
    [InlineData(1536, 969)]
    public void Resize_solid_colour_stays_that_colour(int width, int height)
    {
        foreach (var color in new[] { new Rgba32(12, 200, 99, 255), new Rgba32(10, 20, 30, 128) })
        {
            var resized = ImageScaler.Resize(RgbaImage.Filled(100, 70, color), width, height);

            resized.Width.ShouldBe(width);
            resized.Height.ShouldBe(height);
            AllPixels(resized).ShouldAllBe(p => p == color);
        }
    }

    [Theory]
    [InlineData(13, 13)]
    [InlineData(40, 17)]
    [InlineData(150, 150)]
    [InlineData(97, 201)]
    public void Resize_transparent_neighbours_do_not_darken_the_edge(int width, int height)
    {
        // Left half opaque red, right half fully transparent *black*: a straight-alpha average would pull
        // the edge towards black; premultiplied resampling must keep the colour and only lower alpha.
        var image = new RgbaImage(64, 64);
        for (var y = 0; y < 64; y++)
        {
            for (var x = 0; x < 64; x++)
            {
                image.SetPixel(x, y, x < 31 ? new Rgba32(200, 40, 40, 255) : Rgba32.Transparent);
            }
        }

        var resized = ImageScaler.Resize(image, width, height);

        var visible = AllPixels(resized).Where(p => p.A > 0).ToList();
        visible.ShouldNotBeEmpty();
        visible.ShouldContain(p => p.A < 255);
        visible.ShouldAllBe(p => Math.Abs(p.R - 200) <= 1 && Math.Abs(p.G - 40) <= 1 && Math.Abs(p.B - 40) <= 1);
    }

    [Fact]
    public void Resize_down_averages_the_covered_area()
    {
        var image = new RgbaImage(4, 1);
        image.SetPixel(0, 0, Rgba32.Opaque(0, 0, 0));
        image.SetPixel(1, 0, Rgba32.Opaque(0, 0, 0));
        image.SetPixel(2, 0, Rgba32.Opaque(200, 200, 200));
        image.SetPixel(3, 0, Rgba32.Opaque(200, 200, 200));

        var half = ImageScaler.Resize(image, 2, 1);
        var one = ImageScaler.Resize(image, 1, 1);

        half.GetPixel(0, 0).ShouldBe(Rgba32.Opaque(0, 0, 0));
        half.GetPixel(1, 0).ShouldBe(Rgba32.Opaque(200, 200, 200));
        one.GetPixel(0, 0).ShouldBe(Rgba32.Opaque(100, 100, 100));
    }

    [Fact]
    public void Resize_up_interpolates_between_neighbours()
    {
        var image = new RgbaImage(2, 1);
        image.SetPixel(0, 0, Rgba32.Opaque(0, 0, 0));
        image.SetPixel(1, 0, Rgba32.Opaque(200, 200, 200));

        var wide = ImageScaler.Resize(image, 8, 1);

        wide.GetPixel(0, 0).R.ShouldBe((byte)0);
        wide.GetPixel(7, 0).R.ShouldBe((byte)200);
        Enumerable.Range(0, 7).ShouldAllBe(x => wide.GetPixel(x, 0).R <= wide.GetPixel(x + 1, 0).R);
        wide.GetPixel(3, 0).R.ShouldBeInRange((byte)75, (byte)125);
    }

    [Fact]
    public void ResizeToCover_crops_overflow_evenly_and_fills_the_target()
    {
        // 2000×1000 is wider than 63%: ~207 columns are cropped on each side, so the red left stripe vanishes.
        var image = RgbaImage.Filled(2000, 1000, Rgba32.Opaque(0, 0, 255));
        for (var y = 0; y < 1000; y++)
        {
            for (var x = 0; x < 150; x++)
            {
                image.SetPixel(x, y, Rgba32.Opaque(255, 0, 0));
            }
        }

        var cover = ImageScaler.ResizeToCover(image, 1536, 969);

        cover.Width.ShouldBe(1536);
        cover.Height.ShouldBe(969);
        cover.GetPixel(0, 0).ShouldBe(Rgba32.Opaque(0, 0, 255));
        cover.GetPixel(0, 968).ShouldBe(Rgba32.Opaque(0, 0, 255));
    }

    [Fact]
    public void ResizeToCover_tall_source_keeps_full_width()
    {
        var cover = ImageScaler.ResizeToCover(PngWriterTests.Pattern(30, 90), 1536, 969);

        cover.Width.ShouldBe(1536);
        cover.Height.ShouldBe(969);
    }

    [Fact]
    public void ResizeToFit_returns_the_fitted_size()
    {
        var fitted = ImageScaler.ResizeToFit(RgbaImage.Filled(400, 100, Rgba32.Opaque(1, 2, 3)), 1372, 283);

        (fitted.Width, fitted.Height).ShouldBe((1132, 283));
    }

    internal static IEnumerable<Rgba32> AllPixels(RgbaImage image)
    {
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                yield return image.GetPixel(x, y);
            }
        }
    }
}
