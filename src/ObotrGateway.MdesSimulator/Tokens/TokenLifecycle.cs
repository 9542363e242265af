namespace ObotrGateway.MdesSimulator.Tokens;

internal enum TokenStatus
{
    Inactive,
    Active,
    Suspended,
    Deactivated,
}

/// <summary>Who holds a suspension; each party's unsuspend removes only its own hold.</summary>
internal enum Party
{
    Issuer,
    TokenRequestor,
    Cardholder,
    Mdes,
}

internal enum TokenAction
{
    Activate,
    Suspend,
    Unsuspend,
    Delete,
    Update,
    Redigitize,
    Transact,
    Read,
}

internal enum TransitionOutcome
{
    Rejected,
    Unchanged,
    Changed,
}

/// <summary>
/// The one transition table and the one transition routine. Columns follow "Which APIs can be used in each Token
/// Status?" (seeds/mdes-customer-service-support.md; "In Progress" = INACTIVE, "Deleted" = DEACTIVATED).
/// Re-applying an allowed action that changes nothing (a second suspend by the same party) is an idempotent success;
/// an action outside the table is an explicit rejection (INVALID_TOKEN_STATUS).
/// </summary>
internal static class TokenLifecycle
{
    public static readonly IReadOnlyDictionary<TokenAction, TokenStatus[]> AllowedIn = new Dictionary<TokenAction, TokenStatus[]>
    {
        [TokenAction.Activate] = [TokenStatus.Inactive],
        [TokenAction.Suspend] = [TokenStatus.Active, TokenStatus.Suspended],
        [TokenAction.Unsuspend] = [TokenStatus.Suspended],
        [TokenAction.Delete] = [TokenStatus.Inactive, TokenStatus.Active, TokenStatus.Suspended],
        [TokenAction.Update] = [TokenStatus.Active, TokenStatus.Suspended],
        [TokenAction.Redigitize] = [TokenStatus.Active, TokenStatus.Suspended],
        [TokenAction.Transact] = [TokenStatus.Active],
        [TokenAction.Read] = [TokenStatus.Inactive, TokenStatus.Active, TokenStatus.Suspended, TokenStatus.Deactivated],
    };

    public static bool IsAllowed(TokenAction action, TokenStatus status) => AllowedIn[action].Contains(status);

    /// <summary>Applies the status part of an action; data changes (FPAN, product, token number) are the caller's.</summary>
    public static TransitionOutcome Apply(Token token, TokenAction action, Party party, DateTimeOffset now)
    {
        if (!IsAllowed(action, token.Status))
        {
            return TransitionOutcome.Rejected;
        }

        var statusBefore = token.Status;
        var holdsBefore = token.SuspendedBy.Count;
        switch (action)
        {
            case TokenAction.Activate:
                token.Status = TokenStatus.Active;
                token.ActivatedAt = now;
                break;
            case TokenAction.Suspend:
                token.SuspendedBy.Add(party);
                token.Status = TokenStatus.Suspended;
                break;
            case TokenAction.Unsuspend:
                token.SuspendedBy.Remove(party);
                token.Status = token.SuspendedBy.Count == 0 ? TokenStatus.Active : TokenStatus.Suspended;
                break;
            case TokenAction.Delete:
                token.SuspendedBy.Clear();
                token.Status = TokenStatus.Deactivated;
                break;
            default:
                break;
        }

        if (token.Status == statusBefore && token.SuspendedBy.Count == holdsBefore)
        {
            return TransitionOutcome.Unchanged;
        }

        token.StatusTimestamp = now;
        return TransitionOutcome.Changed;
    }
}
