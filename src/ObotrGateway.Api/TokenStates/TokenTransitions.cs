using System.Text.Json;
using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Mdes;

namespace ObotrGateway.Api.TokenStates;

/// <summary>Who told us a token's state.</summary>
internal enum TokenStateSource
{
    /// <summary>The Tokenize answer: a new token, INACTIVE until MDES reports its activation.</summary>
    Tokenize,

    /// <summary>SearchTokens named the MDES token of an interrupted Tokenize.</summary>
    Adoption,

    /// <summary>An NTU.</summary>
    Notification,

    /// <summary>GetToken: a merchant's refresh, a payment's check, the activation fallback, the admin resync.</summary>
    Answer,

    /// <summary>MDES's answer to our own suspend, unsuspend or delete (or GetToken after it refused one).</summary>
    Lifecycle,
}

/// <summary>What a report did to a token.</summary>
internal enum TokenVerdict
{
    /// <summary>Not applied: an NTU naming another TRID than the token's (or none).</summary>
    Rejected,

    /// <summary>Not applied: older than what we hold, or after deactivation.</summary>
    Stale,

    /// <summary>Applied, but a merchant sees nothing new: no event.</summary>
    Unchanged,

    /// <summary>Applied and visible: exactly one merchant event (for the sources that announce).</summary>
    Changed,
}

/// <summary>How reports of a source are ordered against the state we hold.</summary>
internal enum TokenOrdering
{
    /// <summary>Nothing held yet (a new token).</summary>
    None,

    /// <summary>By the report's statusTimestamp: older than the held one is stale.</summary>
    StatusTimestamp,

    /// <summary>By when we asked: stale only if we hold a change reported as made after that moment (ADR 0702).</summary>
    AskedAt,
}

/// <summary>One report of a token's state: what MDES said, who said it, and when we asked or received it.</summary>
internal sealed record TokenReport(TokenStateSource Source, MdesTokenState State, DateTimeOffset? AskedAt = null, DateTimeOffset? ReceivedAt = null,
    TimeSpan MaxStatusTimestampAhead = default)
{
    public static TokenReport Tokenized(MdesTokenState state) => new(TokenStateSource.Tokenize, state);

    public static TokenReport Adopted(MdesTokenState state) => new(TokenStateSource.Adoption, state);

    public static TokenReport Notified(MdesTokenState state, DateTimeOffset receivedAt, TimeSpan maxStatusTimestampAhead) =>
        new(TokenStateSource.Notification, state, ReceivedAt: receivedAt, MaxStatusTimestampAhead: maxStatusTimestampAhead);

    /// <summary>GetToken's reason code is never a change's (GetToken has none): dropped.</summary>
    public static TokenReport Answered(MdesTokenState state, DateTimeOffset askedAt) =>
        new(TokenStateSource.Answer, state with { EventReasonCode = null }, askedAt);

    public static TokenReport Lifecycle(MdesTokenState state, DateTimeOffset askedAt) =>
        new(TokenStateSource.Lifecycle, state with { EventReasonCode = null }, askedAt);
}

/// <summary>What applying one report did, and what the caller must do about it (purge, event, card-art hint).</summary>
internal sealed record TokenTransition(TokenVerdict Verdict, bool PurgeCryptograms, bool Redigitized, IReadOnlyList<string> NewAssetIds,
    string? EventSource, bool TimestampClamped)
{
    public bool Applied => Verdict is TokenVerdict.Changed or TokenVerdict.Unchanged;

    /// <summary>The <c>source</c> of the one merchant event this transition writes, or null for none.</summary>
    public string? Event => Verdict == TokenVerdict.Changed ? EventSource : null;

    public static TokenTransition NotApplied(TokenVerdict verdict, bool clamped = false) => new(verdict, false, false, [], null, clamped);
}

/// <summary>
/// The token-state module's rules, without I/O: every path that learns a token's state (tokenize, adoption, NTU,
/// GetToken, our own lifecycle calls) goes through <see cref="Apply"/>, the one transition routine, which alone
/// decides rejected / stale / unchanged / changed, the purge, the archive and whether the merchant hears of it.
/// The caller holds the token's row lock (<see cref="TokenStateStore"/>), so reports of one token apply one at a time.
/// </summary>
internal static class TokenTransitions
{
    public const string RedigitizationComplete = "REDIGITIZATION_COMPLETE";

    /// <summary>The event <c>source</c> names (webhook payload; merchants filter on them).</summary>
    public const string EventNotification = "notification";
    public const string EventRefresh = "refresh";
    public const string EventLifecycle = "lifecycle";

    /// <summary>Per source: how its reports are ordered, the merchant event it writes, and whether an unchanged report is kept.</summary>
    private static readonly Dictionary<TokenStateSource, SourceRule> Sources = new Dictionary<TokenStateSource, SourceRule>
    {
        // A report that changes nothing visible: an NTU's timestamp is still taken (it orders later NTUs); an answer's is not
        // (it may be MDES's last change, older than an NTU we hold), so an unchanged answer writes nothing.
        [TokenStateSource.Tokenize] = new(TokenOrdering.None, null, KeepsUnchanged: true, LeavesPending: true),
        [TokenStateSource.Adoption] = new(TokenOrdering.StatusTimestamp, null, KeepsUnchanged: true, LeavesPending: true),
        [TokenStateSource.Notification] = new(TokenOrdering.StatusTimestamp, EventNotification, KeepsUnchanged: true, LeavesPending: false),
        [TokenStateSource.Answer] = new(TokenOrdering.AskedAt, EventRefresh, KeepsUnchanged: false, LeavesPending: false),
        [TokenStateSource.Lifecycle] = new(TokenOrdering.AskedAt, EventLifecycle, KeepsUnchanged: false, LeavesPending: false),
    };

    /// <summary>Per status: whether a token in it may still pay (else its cryptograms go), is archived, and is final.</summary>
    private static readonly Dictionary<string, StatusRule> Statuses = new Dictionary<string, StatusRule>(StringComparer.Ordinal)
    {
        [TokenStatuses.Pending] = new(Purge: false, Archive: false, Terminal: false),
        [TokenStatuses.Inactive] = new(Purge: false, Archive: false, Terminal: false),
        [TokenStatuses.Active] = new(Purge: false, Archive: false, Terminal: false),
        [TokenStatuses.Suspended] = new(Purge: true, Archive: false, Terminal: false),
        [TokenStatuses.Deactivated] = new(Purge: true, Archive: true, Terminal: true),
    };

    private static readonly StatusRule UnknownStatus = new(Purge: false, Archive: false, Terminal: false);

    /// <summary>The one transition routine: the report onto the token, and what follows from it.</summary>
    public static TokenTransition Apply(GatewayToken token, TokenReport report, DateTimeOffset now)
    {
        var rule = Sources[report.Source];
        var update = report.State;
        var clamped = false;
        if (report.Source == TokenStateSource.Notification)
        {
            if (!NamesTokenRequestor(token, update))
            {
                return TokenTransition.NotApplied(TokenVerdict.Rejected);
            }

            var statusTimestamp = ClampToReceipt(update.StatusTimestamp, report.ReceivedAt!.Value, report.MaxStatusTimestampAhead);
            clamped = statusTimestamp != update.StatusTimestamp;
            update = update with { StatusTimestamp = statusTimestamp };
        }

        if (IsStale(token, update, report.Source, report.AskedAt))
        {
            return TokenTransition.NotApplied(TokenVerdict.Stale, clamped);
        }

        var before = TokenSnapshot.Of(token);
        var held = (token.StatusTimestamp, token.SuspendedBy, token.ProductConfig, token.UpdatedAt);
        var assetsBefore = AssetIds(token.ProductConfig);
        if (rule.LeavesPending && token.Status == TokenStatuses.Pending)
        {
            token.Status = TokenStatuses.Inactive;
        }

        if (update.Status is not null)
        {
            token.Status = update.Status;
            token.SuspendedBy = update.Status == TokenStatuses.Suspended ? [.. update.SuspendedBy ?? []] : [];
            token.StatusTimestamp = update.StatusTimestamp ?? token.StatusTimestamp;
        }

        ApplyTokenInfo(token, update.TokenInfo);
        if (update.ProductConfig is not null)
        {
            token.ProductConfig = update.ProductConfig.ToDocument();
        }

        var redigitized = update.EventReasonCode == RedigitizationComplete;
        if (redigitized)
        {
            // The next merchant-initiated payment must start a new series (SLI 246 with a cryptogram).
            token.RestartRecurringSeries = true;
        }

        var status = StatusRuleOf(token.Status);
        if (status.Archive)
        {
            token.ArchivedAt ??= now;
        }

        // The one definition of a change: what a merchant can see of the token differs (a redigitization always does).
        var verdict = redigitized || !before.SameAs(token) ? TokenVerdict.Changed : TokenVerdict.Unchanged;
        if (verdict == TokenVerdict.Unchanged && !rule.KeepsUnchanged)
        {
            (token.StatusTimestamp, token.SuspendedBy, token.ProductConfig, token.UpdatedAt) = held;
        }
        else
        {
            token.UpdatedAt = now;
        }

        var newAssets = AssetIds(token.ProductConfig).Except(assetsBefore, StringComparer.Ordinal).ToList();
        return new TokenTransition(verdict, redigitized || status.Purge, redigitized, newAssets, rule.EventSource, clamped);
    }

    /// <summary>
    /// Never regress; the one ordering rule. An NTU is stale when its statusTimestamp is older than the one we hold. An
    /// MDES answer is what MDES held when we asked at <paramref name="askedAt"/>, so it is authoritative: it loses only to a
    /// change reported as made after that moment, whatever timestamp it carries (ADR 0702). Anything but DEACTIVATED after
    /// deactivation is stale (terminal at MDES); our own delete's DEACTIVATED always applies (a deleted token stays deleted).
    /// </summary>
    private static bool IsStale(GatewayToken token, MdesTokenState update, TokenStateSource source, DateTimeOffset? askedAt)
    {
        if (StatusRuleOf(token.Status).Terminal && update.Status is not null && update.Status != token.Status)
        {
            return true;
        }

        if (source == TokenStateSource.Lifecycle && update.Status is { } status && StatusRuleOf(status).Terminal)
        {
            return false;
        }

        return (Sources[source].Ordering, token.StatusTimestamp) switch
        {
            (TokenOrdering.AskedAt, { } held) => held > askedAt!.Value,
            (TokenOrdering.StatusTimestamp, { } held) => update.StatusTimestamp is { } incoming && incoming < held,
            _ => false,
        };
    }

    /// <summary>
    /// An NTU's statusTimestamp more than <paramref name="maxAhead"/> after its receipt counts as the receipt time: a date in
    /// the future (forged, or a broken clock) must not outrank every later update. Within the margin MDES's order is kept.
    /// </summary>
    public static DateTimeOffset? ClampToReceipt(DateTimeOffset? statusTimestamp, DateTimeOffset receivedAt, TimeSpan maxAhead) =>
        statusTimestamp is { } stamp && stamp > receivedAt + maxAhead ? receivedAt : statusTimestamp;

    /// <summary>
    /// An NTU must name the TRID the token was provisioned under (MDES routes an OBOTR's NTUs by it). Another TRID, or
    /// none, is not applied: a token of one merchant cannot be changed by an update addressed to another (ADR 0703).
    /// </summary>
    public static bool NamesTokenRequestor(GatewayToken token, MdesTokenState update) =>
        string.Equals(update.TokenRequestorId, token.TokenRequestorId, StringComparison.Ordinal);

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

    private static void ApplyTokenInfo(GatewayToken token, MdesTokenInfo? info)
    {
        if (info is null)
        {
            return;
        }

        token.TokenPanSuffix = info.TokenPanSuffix ?? token.TokenPanSuffix;
        token.PanSuffix = info.AccountPanSuffix is { Length: >= 4 } suffix ? suffix[^4..] : token.PanSuffix;
        token.TokenExpiry = info.TokenExpiry ?? token.TokenExpiry;
        token.AccountPanExpiry = info.AccountPanExpiry ?? token.AccountPanExpiry;
        token.ProductCategory = info.ProductCategory ?? token.ProductCategory;
    }

    private static StatusRule StatusRuleOf(string status) => Statuses.GetValueOrDefault(status, UnknownStatus);

    private sealed record SourceRule(TokenOrdering Ordering, string? EventSource, bool KeepsUnchanged, bool LeavesPending);

    private sealed record StatusRule(bool Purge, bool Archive, bool Terminal);
}

/// <summary>What a merchant can see of a token: the one definition of "changed" (ADR 0901).</summary>
internal sealed record TokenSnapshot(string Fields, JsonElement? ProductConfig)
{
    public static TokenSnapshot Of(GatewayToken token) => new(FieldsOf(token), token.ProductConfig?.RootElement.Clone());

    /// <summary>Product config compared as JSON values: the stored jsonb comes back with its keys reordered.</summary>
    public bool SameAs(GatewayToken token) => Fields == FieldsOf(token) && (ProductConfig, token.ProductConfig?.RootElement) switch
    {
        (null, null) => true,
        ({ } held, { } now) => JsonElement.DeepEquals(held, now),
        _ => false,
    };

    // Not statusTimestamp: a newer timestamp for the same status and holders tells the merchant nothing new.
    private static string FieldsOf(GatewayToken token) => string.Join('|', token.Status, string.Join(',', token.SuspendedBy),
        token.PanSuffix, token.TokenPanSuffix, token.TokenExpiry, token.AccountPanExpiry, token.ProductCategory, token.ArchivedAt is null);
}
