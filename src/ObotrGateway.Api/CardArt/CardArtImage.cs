using ObotrGateway.Api.CardArt.Imaging;

namespace ObotrGateway.Api.CardArt;

/// <summary>Which bytes represent a card built from components: our PNG composite, or the PDF that prevents one.</summary>
internal static class CardArtImage
{
    /// <summary>
    /// The composite PNG; when a component is a PDF (vector art the imaging library does not rasterise), that PDF
    /// itself — the first one in the order background, issuer logo, co-brand logo, brand logo, so a PDF background
    /// (the whole card) wins over a PDF logo. Null when a component is neither a usable PNG nor a PDF.
    /// </summary>
    public static CardArtContent? FromComponents(CardArtAsset background, CardArtAsset? issuerLogo, CardArtAsset? coBrandLogo,
        CardArtAsset? brandLogo, string? foregroundColor, string? panSuffix) =>
        CardArtCompositor.ComposePng(background, issuerLogo, coBrandLogo, brandLogo, foregroundColor, panSuffix) switch
        {
            CardArtCompositionResult.Composed composed => new CardArtContent(AssetFormatDetector.PngMimeType, composed.Png),
            CardArtCompositionResult.NotCompositable { Reason: NotCompositableReason.PdfComponent } pdf => new CardArtContent(
                AssetFormatDetector.PdfMimeType,
                (pdf.Component switch
                {
                    CardArtComponent.Background => background,
                    CardArtComponent.IssuerLogo => issuerLogo!,
                    CardArtComponent.CoBrandLogo => coBrandLogo!,
                    _ => brandLogo!,
                }).Content.ToArray()),
            _ => null,
        };
}
