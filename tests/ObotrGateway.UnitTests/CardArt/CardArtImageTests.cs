using System.Text;
using ObotrGateway.Api.CardArt;
using ObotrGateway.Api.CardArt.Imaging;
using SkiaSharp;

namespace ObotrGateway.UnitTests.CardArt;

public sealed class CardArtImageTests
{
    private static readonly CardArtAsset Background = Png(1536, 969, new SKColor(10, 20, 30));
    private static readonly CardArtAsset Logo = Png(200, 100, new SKColor(200, 0, 0));
    private static readonly CardArtAsset PdfLogo = new(Encoding.ASCII.GetBytes("%PDF-1.4\n% brand logo\n%%EOF\n"), "application/pdf");

    private static CardArtAsset Png(int width, int height, SKColor color)
    {
        using var bitmap = Imaging.CardArtCompositorTests.Filled(width, height, color);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return new CardArtAsset(data.ToArray(), "image/png");
    }

    [Fact]
    public void FromComponents_all_png_gives_the_png_composite()
    {
        var content = CardArtImage.FromComponents(Background, Logo, null, Logo, "FFFFFF", null);

        content.ShouldNotBeNull();
        content.MediaType.ShouldBe("image/png");
        using var image = SKBitmap.Decode(content.Bytes);
        (image.Width, image.Height).ShouldBe((1536, 969));
    }

    [Fact]
    public void FromComponents_pdf_brand_logo_gives_that_pdf_asset()
    {
        var content = CardArtImage.FromComponents(Background, Logo, null, PdfLogo, null, null);

        content.ShouldNotBeNull();
        content.MediaType.ShouldBe("application/pdf");
        content.Bytes.ShouldBe(PdfLogo.Content.ToArray());
    }

    [Fact]
    public void FromComponents_pdf_background_wins_over_a_pdf_logo()
    {
        var pdfBackground = new CardArtAsset(Encoding.ASCII.GetBytes("%PDF-1.7\n% background\n%%EOF\n"), "application/pdf");

        var content = CardArtImage.FromComponents(pdfBackground, Logo, PdfLogo, PdfLogo, null, null);

        content.ShouldNotBeNull();
        content.Bytes.ShouldBe(pdfBackground.Content.ToArray());
    }

    [Fact]
    public void FromComponents_unusable_component_gives_null()
    {
        var gif = new CardArtAsset(Encoding.ASCII.GetBytes("GIF89a...."), "image/gif");

        CardArtImage.FromComponents(Background, gif, null, null, null, null).ShouldBeNull();
    }
}
