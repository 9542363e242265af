using System.Text;
using ObotrGateway.Api.CardArt.Imaging;
using SkiaSharp;

namespace ObotrGateway.UnitTests.CardArt.Imaging;

public sealed class CardArtCompositorTests
{
    private static readonly SKColor Navy = new(10, 20, 90);
    private static readonly SKColor Green = new(0, 160, 60);
    private static readonly SKColor Orange = new(255, 95, 0);
    private static readonly SKColor Red = new(235, 0, 27);

    [Fact]
    public void Layout_rectangles_follow_the_Mastercard_spacing()
    {
        CardArtLayout.IssuerLogoArea.ShouldBe(new PixelRect(82, 57, 1372, 283));
        CardArtLayout.BrandLogoArea.ShouldBe(new PixelRect(995, 629, 459, 283));
        CardArtLayout.PanTextArea.ShouldBe(new PixelRect(82, 856, 424, 56));
        CardArtLayout.Canvas.Contains(CardArtLayout.IssuerLogoArea).ShouldBeTrue();
        (CardArtLayout.IssuerLogoArea.X + CardArtLayout.IssuerLogoArea.Width + CardArtLayout.SidePadding).ShouldBe(CardArtLayout.CanvasWidth);
        CardArtLayout.BrandLogoArea.IntersectsWith(CardArtLayout.IssuerLogoArea).ShouldBeFalse();
        CardArtLayout.PanTextArea.IntersectsWith(CardArtLayout.BrandLogoArea).ShouldBeFalse();
        CardArtLayout.PanTextArea.IntersectsWith(CardArtLayout.IssuerLogoArea).ShouldBeFalse();
    }

    [Theory]
    [InlineData(1536, 969)]
    [InlineData(300, 200)]
    [InlineData(100, 400)]
    public void Compose_output_is_1536_by_969_for_any_background(int width, int height)
    {
        var image = CardArtCompositor.Compose(Filled(width, height, Navy), null, null, null, null, null);

        image.Width.ShouldBe(1536);
        image.Height.ShouldBe(969);
        image.GetPixel(768, 484).ShouldBe(Navy);
    }

    [Fact]
    public void Compose_places_issuer_logo_centred_and_brand_logo_bottom_right()
    {
        var image = CardArtCompositor.Compose(
            Filled(1536, 969, Navy), Filled(400, 100, Green), null, Filled(200, 120, Orange), "FFF", null);

        image.GetPixel(CardArtLayout.IssuerLogoArea.CenterX, CardArtLayout.IssuerLogoArea.CenterY).ShouldBe(Green);
        image.GetPixel(CardArtLayout.BrandLogoArea.CenterX, CardArtLayout.BrandLogoArea.CenterY).ShouldBe(Orange);
        image.GetPixel(CardArtLayout.BrandLogoArea.Right - 1, CardArtLayout.BrandLogoArea.Bottom - 1).ShouldBe(Orange);
        // 400×100 fits to 1132×283: centred, so 120 px of background remain on each side of the area.
        image.GetPixel(82 + 119, 198).ShouldBe(Navy);
        image.GetPixel(82 + 120, 198).ShouldBe(Green);
        image.GetPixel(20, 20).ShouldBe(Navy);
        image.GetPixel(768, 484).ShouldBe(Navy);
        image.GetPixel(1500, 940).ShouldBe(Navy);
    }

    [Fact]
    public void Compose_logos_never_paint_outside_their_areas()
    {
        var image = CardArtCompositor.Compose(
            Filled(1536, 969, Navy), Filled(50, 700, Green), Filled(3000, 20, Red), Filled(7, 3, Orange), null, null);

        var outside = new List<(int X, int Y)>();
        var pixels = image.Pixels;
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                if (!CardArtLayout.IssuerLogoArea.Contains(x, y) && !CardArtLayout.BrandLogoArea.Contains(x, y) && pixels[(y * image.Width) + x] != Navy)
                {
                    outside.Add((x, y));
                }
            }
        }

        outside.ShouldBeEmpty();
    }

    [Fact]
    public void Compose_transparent_part_of_a_logo_leaves_the_background()
    {
        var logo = Filled(1372, 283, Green);
        for (var y = 0; y < 283; y++)
        {
            for (var x = 0; x < 686; x++)
            {
                logo.SetPixel(x, y, SKColors.Transparent);
            }
        }

        var image = CardArtCompositor.Compose(Filled(1536, 969, Navy), logo, null, null, null, null);

        image.GetPixel(82 + 300, 198).ShouldBe(Navy);
        image.GetPixel(82 + 1000, 198).ShouldBe(Green);
    }

    [Fact]
    public void Compose_issuer_and_co_brand_logos_sit_side_by_side_centred()
    {
        var image = CardArtCompositor.Compose(
            Filled(1536, 969, Navy), Filled(666, 283, Green), Filled(666, 283, Red), null, null, null);

        var slot = CardArtLayout.DualLogoSlotWidth;
        image.GetPixel(82 + (slot / 2), 198).ShouldBe(Green);
        image.GetPixel(CardArtLayout.IssuerLogoArea.CenterX, 198).ShouldBe(Navy);
        image.GetPixel(1454 - (slot / 2), 198).ShouldBe(Red);
        image.GetPixel(82, 198).ShouldBe(Green);
        image.GetPixel(1453, 198).ShouldBe(Red);
    }

    [Fact]
    public void Compose_semi_transparent_logo_blends_with_the_background()
    {
        var image = CardArtCompositor.Compose(
            Filled(1536, 969, new SKColor(0, 0, 255)), Filled(1372, 283, new SKColor(255, 0, 0, 128)), null, null, null, null);

        image.GetPixel(768, 198).ShouldBe(new SKColor(128, 0, 127));
    }

    [Theory]
    [InlineData("1A2B3C", 0x1A, 0x2B, 0x3C)]
    [InlineData("FFF", 255, 255, 255)]
    [InlineData(null, 255, 255, 255)]
    [InlineData("not a colour", 255, 255, 255)]
    public void Compose_pan_suffix_paints_anti_aliased_foreground_inside_the_text_box_only(string? foreground, byte r, byte g, byte b)
    {
        var background = Pattern(1536, 969);
        var expected = new SKColor(r, g, b);
        using var plain = CardArtCompositor.Compose(background, null, null, null, foreground, null);

        using var withText = CardArtCompositor.Compose(background, null, null, null, foreground, "4321");

        var (solid, blended) = (0, 0);
        var (plainPixels, textPixels) = (plain.Pixels, withText.Pixels);
        for (var y = 0; y < plain.Height; y++)
        {
            for (var x = 0; x < plain.Width; x++)
            {
                var (before, after) = (plainPixels[(y * plain.Width) + x], textPixels[(y * plain.Width) + x]);
                if (after == before)
                {
                    continue;
                }

                CardArtLayout.PanTextArea.Contains(x, y).ShouldBeTrue($"({x}, {y}) changed outside the text box");
                if (after == expected)
                {
                    solid++;
                }
                else
                {
                    // An edge pixel: a mix of the background and the text colour, nothing else.
                    ShouldBeBetween(after, before, expected, $"({x}, {y})");
                    blended++;
                }
            }
        }

        solid.ShouldBeGreaterThan(2000);
        blended.ShouldBeGreaterThan(200);
    }

    [Fact]
    public void Compose_pan_text_starts_at_the_side_padding_and_sits_on_the_bottom_padding()
    {
        using var plain = CardArtCompositor.Compose(Filled(1536, 969, Navy), null, null, null, "FFF", null);
        using var image = CardArtCompositor.Compose(Filled(1536, 969, Navy), null, null, null, "FFF", "8888");
        var painted = new List<(int X, int Y)>();
        var (plainPixels, textPixels) = (plain.Pixels, image.Pixels);
        for (var y = 800; y < 969; y++)
        {
            for (var x = 0; x < 600; x++)
            {
                if (textPixels[(y * 1536) + x] != plainPixels[(y * 1536) + x])
                {
                    painted.Add((x, y));
                }
            }
        }

        // The lowest ink is on the bottom padding line (within the faint anti-aliased overshoot of the round
        // digits), the text starts at the side padding and fills the box.
        painted.Max(p => p.Y).ShouldBeInRange(969 - 57 - 2, 969 - 57 - 1);
        painted.Min(p => p.Y).ShouldBeInRange(CardArtLayout.PanTextArea.Y, CardArtLayout.PanTextArea.Y + 4);
        painted.Min(p => p.X).ShouldBeInRange(82, 82 + 12);
        painted.Max(p => p.X).ShouldBeInRange(CardArtLayout.PanTextArea.Right - 40, CardArtLayout.PanTextArea.Right - 1);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("12a4")]
    [InlineData("5555444433332222")]
    [InlineData("١٢")]
    public void Compose_pan_suffix_other_than_1_to_4_digits_is_rejected(string panSuffix) =>
        Should.Throw<ArgumentException>(() => CardArtCompositor.Compose(Filled(10, 10, Navy), null, null, null, null, panSuffix));

    [Fact]
    public void ComposePng_png_components_give_a_decodable_composite()
    {
        var result = CardArtCompositor.ComposePng(
            Png(Filled(1536, 969, Navy)), Png(Filled(400, 100, Green)), null, Png(Filled(200, 120, Orange)), "FFF", "1234");

        var png = result.ShouldBeOfType<CardArtCompositionResult.Composed>().Png;
        using var image = SKBitmap.Decode(png);
        image.Width.ShouldBe(1536);
        image.Height.ShouldBe(969);
        image.GetPixel(CardArtLayout.IssuerLogoArea.CenterX, CardArtLayout.IssuerLogoArea.CenterY).ShouldBe(Green);
        image.GetPixel(CardArtLayout.BrandLogoArea.CenterX, CardArtLayout.BrandLogoArea.CenterY).ShouldBe(Orange);
        image.GetPixel(768, 484).ShouldBe(Navy);
    }

    [Fact]
    public void ComposePng_pdf_by_magic_is_not_compositable_and_names_the_component()
    {
        var result = CardArtCompositor.ComposePng(Png(Filled(10, 10, Navy)), null, null, Pdf("image/png"), null, null);

        var notCompositable = result.ShouldBeOfType<CardArtCompositionResult.NotCompositable>();
        notCompositable.Component.ShouldBe(CardArtComponent.BrandLogo);
        notCompositable.Reason.ShouldBe(NotCompositableReason.PdfComponent);
    }

    [Fact]
    public void ComposePng_pdf_by_mime_type_is_not_compositable()
    {
        var background = new CardArtAsset(new byte[] { 1, 2, 3 }, "Application/PDF; charset=binary");

        var result = CardArtCompositor.ComposePng(background, null, null, null, null, null);

        result.ShouldBe(new CardArtCompositionResult.NotCompositable(
            CardArtComponent.Background, NotCompositableReason.PdfComponent, ((CardArtCompositionResult.NotCompositable)result).Detail));
    }

    [Fact]
    public void ComposePng_pdf_is_reported_before_a_broken_png_earlier_in_the_list()
    {
        var broken = new CardArtAsset(PngSignature, "image/png");

        var result = CardArtCompositor.ComposePng(Png(Filled(10, 10, Navy)), broken, Pdf("application/pdf"), null, null, null);

        var notCompositable = result.ShouldBeOfType<CardArtCompositionResult.NotCompositable>();
        notCompositable.Component.ShouldBe(CardArtComponent.CoBrandLogo);
        notCompositable.Reason.ShouldBe(NotCompositableReason.PdfComponent);
    }

    [Fact]
    public void ComposePng_broken_png_is_an_invalid_image_result()
    {
        var broken = new CardArtAsset(PngSignature, "image/png");

        var result = CardArtCompositor.ComposePng(Png(Filled(10, 10, Navy)), broken, null, null, null, null);

        var notCompositable = result.ShouldBeOfType<CardArtCompositionResult.NotCompositable>();
        notCompositable.Component.ShouldBe(CardArtComponent.IssuerLogo);
        notCompositable.Reason.ShouldBe(NotCompositableReason.InvalidImage);
    }

    [Fact]
    public void ComposePng_truncated_png_is_an_invalid_image_not_a_partly_transparent_one()
    {
        var whole = Png(Pattern(300, 200)).Content.ToArray();
        var truncated = new CardArtAsset(whole.AsMemory(0, whole.Length / 2), "image/png");

        var result = CardArtCompositor.ComposePng(truncated, null, null, null, null, null);

        var notCompositable = result.ShouldBeOfType<CardArtCompositionResult.NotCompositable>();
        notCompositable.Reason.ShouldBe(NotCompositableReason.InvalidImage);
        notCompositable.Detail.ShouldContain("IncompleteInput");
    }

    [Theory]
    [InlineData(8193, 1)]
    [InlineData(1, 8193)]
    [InlineData(8000, 8000)]
    [InlineData(100_000, 100_000)]
    public void ComposePng_oversized_png_is_refused_from_its_header(int width, int height)
    {
        var result = CardArtCompositor.ComposePng(new CardArtAsset(WithHeaderSize(Png(Filled(1, 1, Navy)).Content.ToArray(), width, height), "image/png"),
            null, null, null, null, null);

        var notCompositable = result.ShouldBeOfType<CardArtCompositionResult.NotCompositable>();
        notCompositable.Reason.ShouldBe(NotCompositableReason.InvalidImage);
        notCompositable.Detail.ShouldContain($"{width}×{height}");
    }

    [Fact]
    public void TryDecodePng_any_single_corrupted_byte_gives_an_image_or_a_reason_never_an_exception()
    {
        var png = Png(Pattern(16, 8)).Content.ToArray();
        for (var i = 0; i < png.Length; i++)
        {
            foreach (var flip in new byte[] { 0x01, 0x80, 0xFF })
            {
                var corrupted = png.ToArray();
                corrupted[i] ^= flip;

                using var bitmap = AssetDecoder.TryDecodePng(corrupted, out var problem);

                (bitmap is null).ShouldBe(problem.Length > 0, $"byte {i} ^ {flip:X2}");
            }
        }
    }

    [Fact]
    public void ComposePng_jpeg_is_an_unsupported_format_result()
    {
        var jpeg = new CardArtAsset(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10 }, "image/jpeg");

        var result = CardArtCompositor.ComposePng(Png(Filled(10, 10, Navy)), null, jpeg, null, null, null);

        var notCompositable = result.ShouldBeOfType<CardArtCompositionResult.NotCompositable>();
        notCompositable.Component.ShouldBe(CardArtComponent.CoBrandLogo);
        notCompositable.Reason.ShouldBe(NotCompositableReason.UnsupportedFormat);
    }

    [Theory]
    [InlineData("%PDF-1.7\n", null, "Pdf")]
    [InlineData("\n\n  %PDF-1.4", "image/png", "Pdf")]
    [InlineData("hello", "application/pdf", "Pdf")]
    [InlineData("hello", "image/png", "Unknown")]
    [InlineData("hello", null, "Unknown")]
    public void Detect_tells_pdf_by_magic_or_mime_type(string content, string? mimeType, string expected) =>
        AssetFormatDetector.Detect(Encoding.ASCII.GetBytes(content), mimeType).ShouldBe(Enum.Parse<AssetFormat>(expected));

    [Fact]
    public void Detect_png_signature_wins_over_a_pdf_mime_type() =>
        AssetFormatDetector.Detect(Png(Filled(1, 1, Navy)).Content.Span, "application/pdf").ShouldBe(AssetFormat.Png);

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    internal static SKBitmap Filled(int width, int height, SKColor color)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(color);
        return bitmap;
    }

    /// <summary>A busy opaque picture, so text edges blend with varied colours and PNG compression has work to do.</summary>
    private static SKBitmap Pattern(int width, int height)
    {
        var pixels = new SKColor[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                pixels[(y * width) + x] = new SKColor((byte)(x * 7), (byte)((y * 13) + x), (byte)((x * y) >> 3));
            }
        }

        var bitmap = Filled(width, height, SKColors.Black);
        bitmap.Pixels = pixels;
        return bitmap;
    }

    private static CardArtAsset Png(SKBitmap image)
    {
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return new CardArtAsset(data.ToArray(), "image/png");
    }

    /// <summary>The PNG with its IHDR claiming another size (CRC recomputed, so only the size is wrong).</summary>
    private static byte[] WithHeaderSize(byte[] png, int width, int height)
    {
        // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4), ..., CRC over type and data (13 bytes).
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), System.IO.Hashing.Crc32.HashToUInt32(png.AsSpan(12, 17)));
        return png;
    }

    private static void ShouldBeBetween(SKColor actual, SKColor from, SKColor to, string where)
    {
        static bool Within(byte value, byte a, byte b) => value >= Math.Min(a, b) - 1 && value <= Math.Max(a, b) + 1;
        (Within(actual.Red, from.Red, to.Red) && Within(actual.Green, from.Green, to.Green) && Within(actual.Blue, from.Blue, to.Blue))
            .ShouldBeTrue($"{where}: {actual} is not a mix of {from} and {to}");
    }

    private static CardArtAsset Pdf(string mimeType) => new(Encoding.ASCII.GetBytes("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n"), mimeType);
}
