using System.Text;
using ObotrGateway.Api.CardArt.Imaging;

namespace ObotrGateway.UnitTests.CardArt.Imaging;

public sealed class CardArtCompositorTests
{
    private static readonly Rgba32 Navy = Rgba32.Opaque(10, 20, 90);
    private static readonly Rgba32 Green = Rgba32.Opaque(0, 160, 60);
    private static readonly Rgba32 Orange = Rgba32.Opaque(255, 95, 0);
    private static readonly Rgba32 Red = Rgba32.Opaque(235, 0, 27);

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
        var image = CardArtCompositor.Compose(RgbaImage.Filled(width, height, Navy), null, null, null, null, null);

        image.Width.ShouldBe(1536);
        image.Height.ShouldBe(969);
        image.GetPixel(768, 484).ShouldBe(Navy);
    }

    [Fact]
    public void Compose_places_issuer_logo_centred_and_brand_logo_bottom_right()
    {
        var image = CardArtCompositor.Compose(
            RgbaImage.Filled(1536, 969, Navy), RgbaImage.Filled(400, 100, Green), null, RgbaImage.Filled(200, 120, Orange), "FFF", null);

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
            RgbaImage.Filled(1536, 969, Navy), RgbaImage.Filled(50, 700, Green), RgbaImage.Filled(3000, 20, Red), RgbaImage.Filled(7, 3, Orange), null, null);

        var outside = new List<(int X, int Y)>();
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                if (!CardArtLayout.IssuerLogoArea.Contains(x, y) && !CardArtLayout.BrandLogoArea.Contains(x, y) && image.GetPixel(x, y) != Navy)
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
        var logo = RgbaImage.Filled(1372, 283, Green);
        for (var y = 0; y < 283; y++)
        {
            for (var x = 0; x < 686; x++)
            {
                logo.SetPixel(x, y, Rgba32.Transparent);
            }
        }

        var image = CardArtCompositor.Compose(RgbaImage.Filled(1536, 969, Navy), logo, null, null, null, null);

        image.GetPixel(82 + 300, 198).ShouldBe(Navy);
        image.GetPixel(82 + 1000, 198).ShouldBe(Green);
    }

    [Fact]
    public void Compose_issuer_and_co_brand_logos_sit_side_by_side_centred()
    {
        var image = CardArtCompositor.Compose(
            RgbaImage.Filled(1536, 969, Navy), RgbaImage.Filled(666, 283, Green), RgbaImage.Filled(666, 283, Red), null, null, null);

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
            RgbaImage.Filled(1536, 969, Rgba32.Opaque(0, 0, 255)), RgbaImage.Filled(1372, 283, new Rgba32(255, 0, 0, 128)), null, null, null, null);

        image.GetPixel(768, 198).ShouldBe(Rgba32.Opaque(128, 0, 127));
    }

    [Theory]
    [InlineData("1A2B3C", 0x1A, 0x2B, 0x3C)]
    [InlineData("FFF", 255, 255, 255)]
    [InlineData(null, 255, 255, 255)]
    [InlineData("not a colour", 255, 255, 255)]
    public void Compose_pan_suffix_paints_foreground_inside_the_text_box_only(string? foreground, byte r, byte g, byte b)
    {
        var background = PngWriterTests.Pattern(1536, 969);
        var plain = CardArtCompositor.Compose(background, null, null, null, foreground, null);

        var withText = CardArtCompositor.Compose(background, null, null, null, foreground, "4321");

        var changed = 0;
        for (var y = 0; y < plain.Height; y++)
        {
            for (var x = 0; x < plain.Width; x++)
            {
                var after = withText.GetPixel(x, y);
                if (after != plain.GetPixel(x, y))
                {
                    changed++;
                    CardArtLayout.PanTextArea.Contains(x, y).ShouldBeTrue($"({x}, {y}) changed outside the text box");
                    after.ShouldBe(Rgba32.Opaque(r, g, b));
                }
            }
        }

        changed.ShouldBeGreaterThan(64 * 64);
    }

    [Fact]
    public void Compose_pan_text_starts_at_the_side_padding_and_sits_on_the_bottom_padding()
    {
        var image = CardArtCompositor.Compose(RgbaImage.Filled(1536, 969, Navy), null, null, null, "FFF", "8888");
        var white = Rgba32.Opaque(255, 255, 255);
        var painted = new List<(int X, int Y)>();
        for (var y = 800; y < 969; y++)
        {
            for (var x = 0; x < 600; x++)
            {
                if (image.GetPixel(x, y) == white)
                {
                    painted.Add((x, y));
                }
            }
        }

        // "8" has set pixels in its last column and in its top and bottom rows.
        painted.Max(p => p.X).ShouldBe(CardArtLayout.PanTextArea.Right - 1);
        painted.Max(p => p.Y).ShouldBe(969 - 57 - 1);
        painted.Min(p => p.Y).ShouldBeGreaterThanOrEqualTo(CardArtLayout.PanTextArea.Y);
        painted.Min(p => p.X).ShouldBeGreaterThanOrEqualTo(82);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("12a4")]
    [InlineData("5555444433332222")]
    [InlineData("١٢")]
    public void Compose_pan_suffix_other_than_1_to_4_digits_is_rejected(string panSuffix) =>
        Should.Throw<ArgumentException>(() => CardArtCompositor.Compose(RgbaImage.Filled(10, 10, Navy), null, null, null, null, panSuffix));

    [Fact]
    public void ComposePng_png_components_give_a_decodable_composite()
    {
        var result = CardArtCompositor.ComposePng(
            Png(RgbaImage.Filled(1536, 969, Navy)), Png(RgbaImage.Filled(400, 100, Green)), null, Png(RgbaImage.Filled(200, 120, Orange)), "FFF", "1234");

        var png = result.ShouldBeOfType<CardArtCompositionResult.Composed>().Png;
        var image = PngReader.Read(png);
        image.Width.ShouldBe(1536);
        image.Height.ShouldBe(969);
        image.GetPixel(CardArtLayout.IssuerLogoArea.CenterX, CardArtLayout.IssuerLogoArea.CenterY).ShouldBe(Green);
        image.GetPixel(CardArtLayout.BrandLogoArea.CenterX, CardArtLayout.BrandLogoArea.CenterY).ShouldBe(Orange);
        image.GetPixel(768, 484).ShouldBe(Navy);
    }

    [Fact]
    public void ComposePng_pdf_by_magic_is_not_compositable_and_names_the_component()
    {
        var result = CardArtCompositor.ComposePng(Png(RgbaImage.Filled(10, 10, Navy)), null, null, Pdf("image/png"), null, null);

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
        var broken = new CardArtAsset(PngReader.Signature.ToArray(), "image/png");

        var result = CardArtCompositor.ComposePng(Png(RgbaImage.Filled(10, 10, Navy)), broken, Pdf("application/pdf"), null, null, null);

        var notCompositable = result.ShouldBeOfType<CardArtCompositionResult.NotCompositable>();
        notCompositable.Component.ShouldBe(CardArtComponent.CoBrandLogo);
        notCompositable.Reason.ShouldBe(NotCompositableReason.PdfComponent);
    }

    [Fact]
    public void ComposePng_broken_png_is_an_invalid_image_result()
    {
        var broken = new CardArtAsset(PngReader.Signature.ToArray(), "image/png");

        var result = CardArtCompositor.ComposePng(Png(RgbaImage.Filled(10, 10, Navy)), broken, null, null, null, null);

        var notCompositable = result.ShouldBeOfType<CardArtCompositionResult.NotCompositable>();
        notCompositable.Component.ShouldBe(CardArtComponent.IssuerLogo);
        notCompositable.Reason.ShouldBe(NotCompositableReason.InvalidImage);
        notCompositable.Detail.ShouldContain("Truncated");
    }

    [Fact]
    public void ComposePng_jpeg_is_an_unsupported_format_result()
    {
        var jpeg = new CardArtAsset(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10 }, "image/jpeg");

        var result = CardArtCompositor.ComposePng(Png(RgbaImage.Filled(10, 10, Navy)), null, jpeg, null, null, null);

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
        AssetFormatDetector.Detect(PngWriter.Write(RgbaImage.Filled(1, 1, Navy)), "application/pdf").ShouldBe(AssetFormat.Png);

    private static CardArtAsset Png(RgbaImage image) => new(PngWriter.Write(image), "image/png");

    private static CardArtAsset Pdf(string mimeType) => new(Encoding.ASCII.GetBytes("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n"), mimeType);
}
