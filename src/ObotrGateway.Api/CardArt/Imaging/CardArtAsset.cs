namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>One asset as MDES Get Asset returned it: the decoded content bytes and the declared MIME type.</summary>
internal sealed record CardArtAsset(ReadOnlyMemory<byte> Content, string? MimeType);
