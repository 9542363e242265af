namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>
/// Tells PNG from PDF. The content's magic bytes win over the declared MIME type (a mislabelled asset is
/// handled as what it really is); the MIME type only decides when the bytes are neither.
/// </summary>
internal static class AssetFormatDetector
{
    public const string PdfMimeType = "application/pdf";
    public const string PngMimeType = "image/png";

    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    // Readers accept "%PDF-" anywhere in the first 1024 bytes (junk may precede it), so do we.
    private const int PdfHeaderSearchWindow = 1024;

    public static AssetFormat Detect(ReadOnlySpan<byte> content, string? mimeType)
    {
        if (content.StartsWith(PngSignature))
        {
            return AssetFormat.Png;
        }

        if (content[..Math.Min(content.Length, PdfHeaderSearchWindow)].IndexOf("%PDF-"u8) >= 0)
        {
            return AssetFormat.Pdf;
        }

        return MediaType(mimeType) switch
        {
            PdfMimeType => AssetFormat.Pdf,
            _ => AssetFormat.Unknown,
        };
    }

    /// <summary>"Application/PDF; charset=x" → "application/pdf".</summary>
    private static string MediaType(string? mimeType)
    {
        if (string.IsNullOrWhiteSpace(mimeType))
        {
            return string.Empty;
        }

        var semicolon = mimeType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon >= 0 ? mimeType[..semicolon] : mimeType).Trim().ToLowerInvariant();
    }
}
