using SkiaSharp;

namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>
/// Builds the 1536×969 combined card image from its components when MDES provides no
/// cardBackgroundCombinedAssetId (layout: <see cref="CardArtLayout"/>, docs/card-art.md).
/// </summary>
internal static class CardArtCompositor
{
    /// <summary>Text colour when foregroundColor is missing or not a 3/6-digit hex colour.</summary>
    public static readonly SKColor DefaultForeground = SKColors.White;

    /// <summary>Masked digits drawn before the PAN suffix.</summary>
    public const string PanMask = "\u2022\u2022\u2022\u2022 ";

    // Mipmapped linear filtering when shrinking (no aliasing from large art), Mitchell cubic when enlarging.
    private static readonly SKSamplingOptions Shrink = new(SKFilterMode.Linear, SKMipmapMode.Linear);
    private static readonly SKSamplingOptions Enlarge = new(SKCubicResampler.Mitchell);

    /// <summary>
    /// Composes the image (caller disposes). The background is scaled to cover the canvas (aspect kept,
    /// overflow cropped evenly); each logo is scaled to fit its area and drawn with "source over". With only one
    /// of issuer/co-brand logo it is centred in C×D; with both, each is fitted into half of C (minus a gap) and
    /// the pair is centred, issuer on the left. The brand logo is fitted into E×D and placed in its bottom-right
    /// corner. A non-empty <paramref name="panSuffix"/> (1 to 4 digits — never more, so a full PAN cannot be
    /// drawn) is written anti-aliased as "•••• 1234" bottom-left in <paramref name="foregroundColor"/> (white if
    /// missing or invalid).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="panSuffix"/> is not 1 to 4 ASCII digits.</exception>
    public static SKBitmap Compose(
        SKBitmap background, SKBitmap? issuerLogo, SKBitmap? coBrandLogo, SKBitmap? brandLogo, string? foregroundColor, string? panSuffix)
    {
        ArgumentNullException.ThrowIfNull(background);
        var text = PanText(panSuffix);

        var result = new SKBitmap(new SKImageInfo(CardArtLayout.CanvasWidth, CardArtLayout.CanvasHeight, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(result))
        {
            canvas.Clear(SKColors.Transparent);
            DrawCover(canvas, background);
            DrawIssuerAndCoBrandLogos(canvas, issuerLogo, coBrandLogo);
            if (brandLogo is not null)
            {
                var (width, height) = FitSize(brandLogo, CardArtLayout.BrandLogoAreaWidth, CardArtLayout.LogoAreaHeight);
                Draw(canvas, brandLogo, CardArtLayout.BottomRightIn(CardArtLayout.BrandLogoArea, width, height));
            }

            if (text is not null)
            {
                var color = CardArtColor.TryParseHex(foregroundColor, out var parsed) ? parsed : DefaultForeground;
                using var font = PanTextFont.NewFont();
                using var paint = new SKPaint { Color = color, IsAntialias = true };
                var area = CardArtLayout.PanTextArea;
                canvas.DrawText(text, area.X, area.Bottom - PanTextFont.Descent, SKTextAlign.Left, font, paint);
            }
        }

        return result;
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

        var decoded = new SKBitmap?[components.Length];
        try
        {
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

                decoded[i] = AssetDecoder.TryDecodePng(asset.Content.Span, out var problem);
                if (decoded[i] is null)
                {
                    return new CardArtCompositionResult.NotCompositable(component, NotCompositableReason.InvalidImage, $"The {component} asset is not a usable PNG: {problem}");
                }
            }

            using var image = Compose(decoded[0]!, decoded[1], decoded[2], decoded[3], foregroundColor, panSuffix);
            using var png = image.Encode(SKEncodedImageFormat.Png, 100);
            return new CardArtCompositionResult.Composed(png.ToArray());
        }
        finally
        {
            foreach (var bitmap in decoded)
            {
                bitmap?.Dispose();
            }
        }
    }

    private static void DrawIssuerAndCoBrandLogos(SKCanvas canvas, SKBitmap? issuerLogo, SKBitmap? coBrandLogo)
    {
        var area = CardArtLayout.IssuerLogoArea;
        if (issuerLogo is null || coBrandLogo is null)
        {
            var single = issuerLogo ?? coBrandLogo;
            if (single is not null)
            {
                var (width, height) = FitSize(single, area.Width, area.Height);
                Draw(canvas, single, CardArtLayout.CentreIn(area, width, height));
            }

            return;
        }

        var (leftWidth, leftHeight) = FitSize(issuerLogo, CardArtLayout.DualLogoSlotWidth, area.Height);
        var (rightWidth, rightHeight) = FitSize(coBrandLogo, CardArtLayout.DualLogoSlotWidth, area.Height);
        var pairLeft = area.X + ((area.Width - (leftWidth + CardArtLayout.DualLogoGap + rightWidth)) / 2);
        Draw(canvas, issuerLogo, new PixelRect(pairLeft, area.Y + ((area.Height - leftHeight) / 2), leftWidth, leftHeight));
        Draw(canvas, coBrandLogo, new PixelRect(
            pairLeft + leftWidth + CardArtLayout.DualLogoGap, area.Y + ((area.Height - rightHeight) / 2), rightWidth, rightHeight));
    }

    /// <summary>Scales to cover the whole canvas, keeping the aspect ratio; the overflow is cropped evenly from both sides.</summary>
    private static void DrawCover(SKCanvas canvas, SKBitmap background)
    {
        var scale = Math.Max((double)CardArtLayout.CanvasWidth / background.Width, (double)CardArtLayout.CanvasHeight / background.Height);
        var sourceWidth = (float)(CardArtLayout.CanvasWidth / scale);
        var sourceHeight = (float)(CardArtLayout.CanvasHeight / scale);
        var left = (background.Width - sourceWidth) / 2;
        var top = (background.Height - sourceHeight) / 2;
        using var image = SKImage.FromBitmap(background);
        canvas.DrawImage(
            image,
            new SKRect(left, top, left + sourceWidth, top + sourceHeight),
            SKRect.Create(CardArtLayout.CanvasWidth, CardArtLayout.CanvasHeight),
            scale < 1 ? Shrink : Enlarge);
    }

    /// <summary>Whole-pixel size of <paramref name="image"/> scaled to fit the box, aspect kept (enlarging too).</summary>
    private static (int Width, int Height) FitSize(SKBitmap image, int boxWidth, int boxHeight)
    {
        var scale = Math.Min((double)boxWidth / image.Width, (double)boxHeight / image.Height);
        return (Math.Clamp((int)Math.Round(image.Width * scale), 1, boxWidth), Math.Clamp((int)Math.Round(image.Height * scale), 1, boxHeight));
    }

    // Whole-pixel destination and no anti-aliasing: a logo can never touch a pixel outside its rectangle.
    private static void Draw(SKCanvas canvas, SKBitmap logo, PixelRect at)
    {
        using var image = SKImage.FromBitmap(logo);
        canvas.DrawImage(image, SKRect.Create(at.X, at.Y, at.Width, at.Height), at.Width < logo.Width ? Shrink : Enlarge);
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
