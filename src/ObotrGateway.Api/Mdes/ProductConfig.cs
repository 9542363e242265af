using System.Text.Json;
using System.Text.Json.Serialization;
using ObotrGateway.Api.Mdes.Wire;

namespace ObotrGateway.Api.Mdes;

/// <summary>Card art and issuer metadata (contract §2.10); asset ids feed GetAsset. Stored on the token as MDES sent it,
/// so it is both a wire object and the gateway's own record (CardArt reads it).</summary>
internal sealed record ProductConfig
{
    public string? BrandLogoAssetId { get; init; }

    public string? IssuerLogoAssetId { get; init; }

    public string? CoBrandLogoAssetId { get; init; }

    public string? CardBackgroundCombinedAssetId { get; init; }

    public string? CardBackgroundAssetId { get; init; }

    public string? IconAssetId { get; init; }

    [JsonConverter(typeof(FlexibleBooleanConverter))]
    public bool? IsCoBranded { get; init; }

    public string? CoBrandName { get; init; }

    public string? ForegroundColor { get; init; }

    public string? IssuerName { get; init; }

    public string? ShortDescription { get; init; }

    public string? LongDescription { get; init; }

    public string? CustomerServiceUrl { get; init; }

    public string? CustomerServiceEmail { get; init; }

    public string? CustomerServicePhoneNumber { get; init; }

    public string? OnlineBankingLoginUrl { get; init; }

    public string? TermsAndConditionsUrl { get; init; }

    public string? PrivacyPolicyUrl { get; init; }

    public string? IssuerProductConfigCode { get; init; }

    /// <summary>As stored on a gateway token (jsonb): MDES's JSON form, which merchants also see in GatewayTokenView.</summary>
    public JsonDocument ToDocument() => JsonSerializer.SerializeToDocument(this, MdesJson.Options);

    public static ProductConfig? FromDocument(JsonDocument? stored) => stored?.RootElement.Deserialize<ProductConfig>(MdesJson.Options);
}
