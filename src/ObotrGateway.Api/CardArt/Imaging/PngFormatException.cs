namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>The bytes are not a PNG this reader accepts: malformed, truncated, corrupted, unsupported or too large.</summary>
internal sealed class PngFormatException : Exception
{
    public PngFormatException()
    {
    }

    public PngFormatException(string message)
        : base(message)
    {
    }

    public PngFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
