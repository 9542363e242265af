using System.Text.Json;
using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Mdes.Wire;

namespace ObotrGateway.Api.Notifications;

/// <summary>What applying one MDES token update did to a gateway token.</summary>
internal sealed record TokenUpdateOutcome(bool Applied, bool PurgeCryptograms, bool Redigitized, IReadOnlyList<string> NewAssetIds)
{
    public static readonly TokenUpdateOutcome Stale = new(false, false, false, []);
}

/// <summary>
/// The per-token rules for an MDES update (NTU or GetToken), without I/O so they can be tested alone. The
/// caller holds the token's row lock, so updates of one token are applied one at a time.
/// </summary>
internal static class TokenUpdateRules
{
    public const string RedigitizationComplete = "REDIGITIZATION_COMPLETE";

    /// <summary>Older than the state we hold (never regress), or anything after deactivation (terminal at MDES).</summary>
    public static bool IsStale(GatewayToken token, MdesToken update) =>
        (token.StatusTimestamp is { } held && update.StatusTimestamp is { } incoming && incoming < held)
        || (token.Status == TokenStatuses.Deactivated && update.Status is not null && update.Status != TokenStatuses.Deactivated);

    public static TokenUpdateOutcome Apply(GatewayToken token, MdesToken update, DateTimeOffset now)
    {
        if (IsStale(token, update))
        {
            return TokenUpdateOutcome.Stale;
        }

        var assetsBefore = AssetIds(token.ProductConfig);
        if (update.Status is not null)
        {
            TokenStateSync.ApplyStatus(token, update);
        }

        TokenStateSync.ApplyTokenInfo(token, update.TokenInfo);
        TokenStateSync.ApplyProductConfig(token, update.ProductConfig);
        var redigitized = update.EventReasonCode == RedigitizationComplete;
        if (redigitized)
        {
            // The next merchant-initiated payment must start a new series (SLI 246 with a cryptogram).
            token.RestartRecurringSeries = true;
        }

        if (token.Status == TokenStatuses.Deactivated)
        {
            token.ArchivedAt ??= now;
        }

        token.UpdatedAt = now;
        var purge = redigitized || token.Status is TokenStatuses.Suspended or TokenStatuses.Deactivated;
        var newAssets = AssetIds(token.ProductConfig).Except(assetsBefore, StringComparer.Ordinal).ToList();
        return new TokenUpdateOutcome(true, purge, redigitized, newAssets);
    }

    /// <summary>The asset ids a stored productConfig names (card background, logos, icon).</summary>
    public static IReadOnlyList<string> AssetIds(JsonDocument? productConfig)
    {
        if (productConfig?.RootElement is not { ValueKind: JsonValueKind.Object } root)
        {
            return [];
        }

        var ids = new List<string>();
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name.EndsWith("AssetId", StringComparison.Ordinal) && property.Value.ValueKind == JsonValueKind.String
                && property.Value.GetString() is { Length: > 0 } id && !ids.Contains(id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>Transact's applicationExpiryDate (YYMMDD) as the MMYY we keep for tokens.</summary>
    public static string? TokenExpiryFromApplicationExpiry(string? applicationExpiryDate) =>
        applicationExpiryDate is { Length: 6 } date && date.All(char.IsAsciiDigit) ? string.Concat(date.AsSpan(2, 2), date.AsSpan(0, 2)) : null;
}
