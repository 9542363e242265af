namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>
/// Builds the 1536×969 combined card image from its components when MDES provides no
/// cardBackgroundCombinedAssetId (layout: <see cref="CardArtLayout"/>, docs/card-art.md).
/// </summary>
internal static class CardArtCompositor
{
    /// <summary>Text colour when foregroundColor is missing or not a 3/6-digit hex colour.</summary>
    public static readonly Rgba32 DefaultForeground = Rgba32.Opaque(255, 255, 255);

    /// <summary>Masked digits drawn before the PAN suffix.</summary>
    public const string PanMask = "\u2022\u2022\u2022\u2022 ";

    /// <summary>
    /// Composes the image. The background is scaled to cover the canvas (aspect kept, overflow cropped evenly);
    /// each logo is scaled to fit its area and drawn with "source over". With only one of issuer/co-brand logo it
    /// is centred in C×D; with both, each is fitted into half of C (minus a gap) and the pair is centred,
    /// issuer on the left. The brand logo is fitted into E×D and placed in its bottom-right corner. A non-empty
    /// <paramref name="panSuffix"/> (1 to 4 digits — never more, so a full PAN cannot be drawn) is written as
    /// "•••• 1234" bottom-left in <paramref name="foregroundColor"/> (white if missing or invalid).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="panSuffix"/> is not 1 to 4 ASCII digits.</exception>
    public static RgbaImage Compose(
        RgbaImage background, RgbaImage? issuerLogo, RgbaImage? coBrandLogo, RgbaImage? brandLogo, string? foregroundColor, string? panSuffix)
    {
        ArgumentNullException.ThrowIfNull(background);
        var text = PanText(panSuffix);

        var canvas = ImageScaler.ResizeToCover(background, CardArtLayout.CanvasWidth, CardArtLayout.CanvasHeight);
        DrawIssuerAndCoBrandLogos(canvas, issuerLogo, coBrandLogo);
        if (brandLogo is not null)
        {
            var fitted = ImageScaler.ResizeToFit(brandLogo, CardArtLayout.BrandLogoAreaWidth, CardArtLayout.LogoAreaHeight);
            var at = CardArtLayout.BottomRightIn(CardArtLayout.BrandLogoArea, fitted.Width, fitted.Height);
            AlphaCompositor.DrawOver(canvas, fitted, at.X, at.Y);
        }

        if (text is not null)
        {
            var color = Rgba32.TryParseHex(foregroundColor, out var parsed) ? parsed : DefaultForeground;
            var area = CardArtLayout.PanTextArea;
            BitmapFont.Draw(canvas, text, area.X, area.Bottom - BitmapFont.MeasureHeight(CardArtLayout.PanTextScale), CardArtLayout.PanTextScale, color);
        }

        return canvas;
    }

    /// <summary>
    /// Composes from asset bytes and returns a PNG, or <see cref="CardArtCompositionResult.NotCompositable"/> when
    /// a component is a PDF (the caller serves that PDF instead), is of an unknown format, or is a broken PNG.
    /// PDF components are looked for first so a PDF is never hidden behind another component's error.
    /// </summary>
    public static CardArtCompositionResult ComposePng(
        CardArtAsset background,
        CardArtAsset? issuerLogo,
        CardArtAsset? coBrandLogo,
        CardArtAsset? brandLogo,
        string? foregroundColor,
        string? panSuffix)
    {
        ArgumentNullException.ThrowIfNull(background);
        (CardArtComponent Component, CardArtAsset? Asset)[] components =
        [
            (CardArtComponent.Background, background),
            (CardArtComponent.IssuerLogo, issuerLogo),
            (CardArtComponent.CoBrandLogo, coBrandLogo),
            (CardArtComponent.BrandLogo, brandLogo),
        ];

        var formats = components.Select(c => c.Asset is null ? AssetFormat.Png : AssetFormatDetector.Detect(c.Asset.Content.Span, c.Asset.MimeType)).ToArray();
        for (var i = 0; i < components.Length; i++)
        {
            if (formats[i] == AssetFormat.Pdf)
            {
                return new CardArtCompositionResult.NotCompositable(
                    components[i].Component, NotCompositableReason.PdfComponent, $"The {components[i].Component} asset is a PDF (vector) image and cannot be composited.");
            }
        }

        var decoded = new RgbaImage?[components.Length];
        for (var i = 0; i < components.Length; i++)
        {
            var (component, asset) = components[i];
            if (asset is null)
            {
                continue;
            }

            if (formats[i] != AssetFormat.Png)
            {
                return new CardArtCompositionResult.NotCompositable(
                    component, NotCompositableReason.UnsupportedFormat, $"The {component} asset ({asset.MimeType ?? "no MIME type"}) is neither PNG nor PDF.");
            }

            try
            {
                decoded[i] = PngReader.Read(asset.Content.Span);
            }
            catch (PngFormatException ex)
            {
                return new CardArtCompositionResult.NotCompositable(component, NotCompositableReason.InvalidImage, $"The {component} asset is not a usable PNG: {ex.Message}");
            }
        }

        var image = Compose(decoded[0]!, decoded[1], decoded[2], decoded[3], foregroundColor, panSuffix);
        return new CardArtCompositionResult.Composed(PngWriter.Write(image));
    }

    private static void DrawIssuerAndCoBrandLogos(RgbaImage canvas, RgbaImage? issuerLogo, RgbaImage? coBrandLogo)
    {
        var area = CardArtLayout.IssuerLogoArea;
        if (issuerLogo is null || coBrandLogo is null)
        {
            var single = issuerLogo ?? coBrandLogo;
            if (single is not null)
            {
                var fitted = ImageScaler.ResizeToFit(single, area.Width, area.Height);
                var at = CardArtLayout.CentreIn(area, fitted.Width, fitted.Height);
                AlphaCompositor.DrawOver(canvas, fitted, at.X, at.Y);
            }

            return;
        }

        var left = ImageScaler.ResizeToFit(issuerLogo, CardArtLayout.DualLogoSlotWidth, area.Height);
        var right = ImageScaler.ResizeToFit(coBrandLogo, CardArtLayout.DualLogoSlotWidth, area.Height);
        var pairWidth = left.Width + CardArtLayout.DualLogoGap + right.Width;
        var pairLeft = area.X + ((area.Width - pairWidth) / 2);
        AlphaCompositor.DrawOver(canvas, left, pairLeft, area.Y + ((area.Height - left.Height) / 2));
        AlphaCompositor.DrawOver(canvas, right, pairLeft + left.Width + CardArtLayout.DualLogoGap, area.Y + ((area.Height - right.Height) / 2));
    }

    private static string? PanText(string? panSuffix)
    {
        if (string.IsNullOrEmpty(panSuffix))
        {
            return null;
        }

        if (panSuffix.Length > 4 || !panSuffix.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("The PAN suffix must be 1 to 4 digits (the last digits of the PAN, never more).", nameof(panSuffix));
        }

        return PanMask + panSuffix;
    }
}
