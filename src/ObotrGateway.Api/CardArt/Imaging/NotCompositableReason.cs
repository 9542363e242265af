namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>Why a combined image could not be built.</summary>
internal enum NotCompositableReason
{
    /// <summary>A component is a PDF (vector) asset; the caller should serve the PDF instead.</summary>
    PdfComponent,

    /// <summary>A component is neither PNG nor PDF.</summary>
    UnsupportedFormat,

    /// <summary>A component claims to be PNG but cannot be decoded (corrupt, truncated, too large).</summary>
    InvalidImage,
}
