namespace ObotrGateway.Api.TokenLifecycle;

/// <summary>The three token-requestor lifecycle calls MDES offers for up to 10 tokens at a time.</summary>
internal enum LifecycleAction
{
    Delete,
    Suspend,
    Unsuspend,
}

/// <summary>Per-token answers of lifecycle requests (the <c>result</c> field). Stable: merchants branch on them.</summary>
internal static class LifecycleResults
{
    public const string Deleted = "deleted";
    public const string AlreadyDeleted = "already_deleted";
    public const string Suspended = "suspended";
    public const string Unsuspended = "unsuspended";
    public const string StillSuspended = "still_suspended";
    public const string NotFound = "not_found";
    public const string Failed = "failed";
}

/// <summary>Why a token's lifecycle change <see cref="LifecycleResults.Failed"/> (the <c>error</c> field).</summary>
internal static class LifecycleErrors
{
    /// <summary>MDES unreachable, throttled or over our TPS cap; nothing happened. Re-run the request.</summary>
    public const string NetworkUnavailable = "network_unavailable";

    /// <summary>MDES may or may not have applied the change (timeout). Re-run the request: it reconciles.</summary>
    public const string OutcomeUnknown = "outcome_unknown";

    /// <summary>MDES refused the call with an error other than the token's state.</summary>
    public const string NetworkError = "network_error";

    /// <summary>The token is deleted (DEACTIVATED): it can no longer be suspended or resumed.</summary>
    public const string TokenDeactivated = "token_deactivated";

    /// <summary>The token is not active yet (INACTIVE): MDES allows no suspend or resume before activation.</summary>
    public const string TokenNotActive = "token_not_active";

    /// <summary>MDES no longer knows the token.</summary>
    public const string UnknownAtNetwork = "unknown_at_network";
}
