namespace ObotrGateway.Api.CardArt.Imaging;

/// <summary>The productConfig assets a combined card image is built from.</summary>
internal enum CardArtComponent
{
    /// <summary>cardBackgroundAssetId.</summary>
    Background,

    /// <summary>issuerLogoAssetId.</summary>
    IssuerLogo,

    /// <summary>coBrandLogoAssetId.</summary>
    CoBrandLogo,

    /// <summary>brandLogoAssetId (Mastercard or Maestro).</summary>
    BrandLogo,
}
