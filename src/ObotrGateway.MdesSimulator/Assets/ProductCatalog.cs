using System.Text.Json.Nodes;

namespace ObotrGateway.MdesSimulator.Assets;

internal sealed record ProductConfig(
    string Id,
    string IssuerName,
    string ShortDescription,
    string LongDescription,
    string ProductCategory,
    string ForegroundColor,
    string BrandLogoAssetId,
    string IssuerLogoAssetId,
    string IconAssetId,
    string? CardBackgroundCombinedAssetId,
    string? CardBackgroundAssetId,
    string? CoBrandLogoAssetId,
    string? CoBrandName)
{
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["brandLogoAssetId"] = BrandLogoAssetId,
            ["issuerLogoAssetId"] = IssuerLogoAssetId,
            ["isCoBranded"] = CoBrandLogoAssetId is not null,
            ["iconAssetId"] = IconAssetId,
            ["foregroundColor"] = ForegroundColor,
            ["issuerName"] = IssuerName,
            ["shortDescription"] = ShortDescription,
            ["longDescription"] = LongDescription,
            ["customerServiceUrl"] = "https://bank.example/help",
            ["customerServicePhoneNumber"] = "+353 1 555 0100",
            ["issuerProductConfigCode"] = Id,
        };
        if (CoBrandLogoAssetId is not null)
        {
            json["coBrandLogoAssetId"] = CoBrandLogoAssetId;
            json["coBrandName"] = CoBrandName;
        }

        if (CardBackgroundCombinedAssetId is not null)
        {
            json["cardBackgroundCombinedAssetId"] = CardBackgroundCombinedAssetId;
        }
        else
        {
            json["cardBackgroundAssetId"] = CardBackgroundAssetId;
        }

        return json;
    }
}

/// <summary>Issuer product configurations. Asset ids never change meaning: new art always means a new id.</summary>
internal static class ProductCatalog
{
    public const string Credit = "obotr-credit";
    public const string CoBranded = "obotr-cobrand";
    public const string Debit = "obotr-debit";
    public const string WorldElite = "obotr-world-elite";

    public static readonly IReadOnlyDictionary<string, ProductConfig> All = new Dictionary<string, ProductConfig>(StringComparer.Ordinal)
    {
        [Credit] = new(Credit, "Obotr Test Bank", "Obotr Credit", "Obotr Test Bank Mastercard Credit", "CREDIT", "FFFFFF",
            AssetIds.BrandLogoPng, AssetIds.IssuerLogoBlue, AssetIds.IconBlue, AssetIds.CombinedBlue, null, null, null),
        [CoBranded] = new(CoBranded, "Obotr Test Bank", "Obotr Miles", "Obotr Miles co-branded Mastercard", "CREDIT", "000000",
            AssetIds.BrandLogoPng, AssetIds.IssuerLogoBlue, AssetIds.IconTeal, null, AssetIds.BackgroundTeal, AssetIds.CoBrandLogo, "Obotr Airways"),
        [Debit] = new(Debit, "Obotr Test Bank", "Obotr Debit", "Obotr Test Bank Debit Mastercard", "DEBIT", "FFFFFF",
            AssetIds.BrandLogoPdf, AssetIds.IssuerLogoGreen, AssetIds.IconGreen, AssetIds.CombinedGreen, null, null, null),
        [WorldElite] = new(WorldElite, "Obotr Test Bank", "Obotr World Elite", "Obotr Test Bank World Elite Mastercard", "CREDIT", "F5D77A",
            AssetIds.BrandLogoPng, AssetIds.IssuerLogoGold, AssetIds.IconGold, AssetIds.CombinedGold, null, null, null),
    };
}

internal static class AssetIds
{
    public const string BrandLogoPng = "3f1c2a00-0000-4000-8000-000000000001";
    public const string BrandLogoPdf = "3f1c2a00-0000-4000-8000-000000000002";
    public const string IssuerLogoBlue = "3f1c2a00-0000-4000-8000-000000000003";
    public const string IssuerLogoGreen = "3f1c2a00-0000-4000-8000-000000000004";
    public const string IssuerLogoGold = "3f1c2a00-0000-4000-8000-000000000005";
    public const string CoBrandLogo = "3f1c2a00-0000-4000-8000-000000000006";
    public const string CombinedBlue = "3f1c2a00-0000-4000-8000-000000000007";
    public const string CombinedGreen = "3f1c2a00-0000-4000-8000-000000000008";
    public const string CombinedGold = "3f1c2a00-0000-4000-8000-000000000009";
    public const string BackgroundTeal = "3f1c2a00-0000-4000-8000-00000000000a";
    public const string IconBlue = "3f1c2a00-0000-4000-8000-00000000000b";
    public const string IconTeal = "3f1c2a00-0000-4000-8000-00000000000c";
    public const string IconGreen = "3f1c2a00-0000-4000-8000-00000000000d";
    public const string IconGold = "3f1c2a00-0000-4000-8000-00000000000e";
}
