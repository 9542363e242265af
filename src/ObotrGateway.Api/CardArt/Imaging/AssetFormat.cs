namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>What an asset's bytes are, as far as compositing cares.</summary>
internal enum AssetFormat
{
    Unknown,
    Png,
    Pdf,
}
