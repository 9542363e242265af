namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>
/// Geometry of a combined card image, from Mastercard's "Creating a Combined Image from Components"
/// (letters as in its diagram). Placement choices the guide leaves open are documented in docs/card-art.md:
/// issuer/co-brand band on top, brand logo bottom-right, PAN suffix bottom-left.
/// </summary>
internal static class CardArtLayout
{
    /// <summary>Combined image width; height/width is 63%.</summary>
    public const int CanvasWidth = 1536;

    public const int CanvasHeight = 969;

    /// <summary>A: left and right padding.</summary>
    public const int SidePadding = 82;

    /// <summary>B: top and bottom padding.</summary>
    public const int VerticalPadding = 57;

    /// <summary>C: width of the co-brand and/or issuer logo area (= 1536 − 2·82).</summary>
    public const int LogoAreaWidth = 1372;

    /// <summary>D: height of both logo areas.</summary>
    public const int LogoAreaHeight = 283;

    /// <summary>E: width of the brand (Mastercard/Maestro) logo area.</summary>
    public const int BrandLogoAreaWidth = 459;

    /// <summary>Horizontal gap between issuer and co-brand logos when both are present.</summary>
    public const int DualLogoGap = 40;

    /// <summary>Width each of two logos is fitted into when both are present: (C − gap) / 2.</summary>
    public const int DualLogoSlotWidth = (LogoAreaWidth - DualLogoGap) / 2;

    /// <summary>Width of the PAN suffix box: room for "•••• 1234".</summary>
    public const int PanTextWidth = 424;

    /// <summary>Height of the PAN suffix box; the font is sized so its glyphs fill it.</summary>
    public const int PanTextHeight = 56;

    /// <summary>The whole combined image.</summary>
    public static readonly PixelRect Canvas = new(0, 0, CanvasWidth, CanvasHeight);

    /// <summary>C×D at the top-left padding corner: (82, 57) 1372×283. Issuer/co-brand logos are centred in it.</summary>
    public static readonly PixelRect IssuerLogoArea = new(SidePadding, VerticalPadding, LogoAreaWidth, LogoAreaHeight);

    /// <summary>E×D at the bottom-right padding corner: (995, 629) 459×283. The brand logo sits bottom-right in it.</summary>
    public static readonly PixelRect BrandLogoArea = new(
        CanvasWidth - SidePadding - BrandLogoAreaWidth, CanvasHeight - VerticalPadding - LogoAreaHeight, BrandLogoAreaWidth, LogoAreaHeight);

    /// <summary>
    /// Where the PAN suffix may be drawn: bottom-left, on the bottom padding line: (82, 856) 424×56. Text is
    /// left-aligned at x = 82 and its lowest ink sits on y = 912 (969 − 57).
    /// </summary>
    public static readonly PixelRect PanTextArea = new(SidePadding, CanvasHeight - VerticalPadding - PanTextHeight, PanTextWidth, PanTextHeight);

    /// <summary>A <paramref name="width"/> × <paramref name="height"/> box centred in <paramref name="area"/>.</summary>
    public static PixelRect CentreIn(PixelRect area, int width, int height) =>
        new(area.X + ((area.Width - width) / 2), area.Y + ((area.Height - height) / 2), width, height);

    /// <summary>A <paramref name="width"/> × <paramref name="height"/> box in the bottom-right corner of <paramref name="area"/>.</summary>
    public static PixelRect BottomRightIn(PixelRect area, int width, int height) =>
        new(area.Right - width, area.Bottom - height, width, height);
}
