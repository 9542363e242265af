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

    /// <summary>
    /// Never regress; the one ordering rule for every MDES update. An NTU (<paramref name="answerAskedAt"/> null) is stale
    /// when its statusTimestamp is older than the one we hold. An MDES answer (GetToken: merchant refresh, admin resync,
    /// activation check; a suspend/unsuspend/delete response) is what MDES held when we asked at <paramref name="answerAskedAt"/>,
    /// so it is authoritative: it loses only to a change reported as made after that moment, whatever timestamp the answer
    /// carries (MDES's last change may be long before an NTU's). Anything after deactivation is stale (terminal at MDES).
    /// </summary>
    public static bool IsStale(GatewayToken token, MdesToken update, DateTimeOffset? answerAskedAt = null) =>
        (token.Status == TokenStatuses.Deactivated && update.Status is not null && update.Status != TokenStatuses.Deactivated)
        || (token.StatusTimestamp is { } held && (answerAskedAt is { } asked
            ? held > asked
            : update.StatusTimestamp is { } incoming && incoming < held));

    /// <summary>
    /// An NTU's statusTimestamp more than <paramref name="maxAhead"/> after its receipt counts as the receipt time: a date in
    /// the future (forged, or a broken clock) must not outrank every later update. Within the margin MDES's order is kept.
    /// </summary>
    public static DateTimeOffset? ClampToReceipt(DateTimeOffset? statusTimestamp, DateTimeOffset receivedAt, TimeSpan maxAhead) =>
        statusTimestamp is { } stamp && stamp > receivedAt + maxAhead ? receivedAt : statusTimestamp;

    /// <summary>
    /// An NTU must name the TRID the token was provisioned under (MDES routes an OBOTR's NTUs by it). Another TRID, or
    /// none, is not applied: a token of one merchant cannot be changed by an update addressed to another.
    /// </summary>
    public static bool NamesTokenRequestor(GatewayToken token, MdesToken update) =>
        string.Equals(update.TokenRequestorId, token.TokenRequestorId, StringComparison.Ordinal);

    public static TokenUpdateOutcome Apply(GatewayToken token, MdesToken update, DateTimeOffset now, DateTimeOffset? answerAskedAt = null)
    {
        if (IsStale(token, update, answerAskedAt))
        {
            return TokenUpdateOutcome.Stale;
        }

        var assetsBefore = AssetIds(token.ProductConfig);
        if (update.Status is not null)
        {
            TokenStateSync.ApplyStatus(token, update, answerAskedAt);
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
