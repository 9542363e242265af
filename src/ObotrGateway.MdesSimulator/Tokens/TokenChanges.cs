using ObotrGateway.MdesSimulator.Notifications;

namespace ObotrGateway.MdesSimulator.Tokens;

/// <summary>Who changed a token. Only changes MDES would tell the token requestor about produce an NTU.</summary>
internal sealed record ChangeActor(string Source, Party Party, bool Notifies, string? UserId = null, string? UserName = null, string? Organization = null)
{
    public static readonly ChangeActor TokenRequestorApi = new("MDES_API", Party.TokenRequestor, Notifies: false);
    public static readonly ChangeActor Mdes = new("MDES", Party.Mdes, Notifies: true);

    public static ChangeActor IssuerConsole(string? userId, string? userName) => new("ISSUER_CONSOLE", Party.Issuer, true, userId, userName);

    /// <summary>An issuer's agent through the Customer Service API: the same party (and hold) as the console.</summary>
    public static ChangeActor CustomerService(string userId, string userName, string organization) =>
        new("CUSTOMER_SERVICE", Party.Issuer, true, userId, userName, organization);

    // setTokenStatus comes from the cardholder's own toggle in the issuer app: its hold is the cardholder's.
    public static ChangeActor CardProcessing(string? userId, string? userName) => new("CARD_PROCESSING", Party.Cardholder, true, userId, userName);
}

internal enum ChangeFailure
{
    None,
    UnknownToken,
    InvalidStatus,
}

internal sealed record ChangeResult(ChangeFailure Failure, string? FailedTokenUniqueReference, IReadOnlyList<TokenSnapshot> Tokens);

/// <summary>Extra effects of an Update or Redigitize, run after the status check inside the same lock.</summary>
internal sealed record DataChange(Action<Token> Apply, bool ProductConfigChanged, bool TokenInfoChanged, bool Notify = true);

/// <summary>
/// The single place token state changes: resolves all TURs, checks every one against the transition table, then
/// applies (all or nothing — contract §5.11 leaves partial failure undefined; the simulator refuses the batch),
/// records history (linked to the action's comment, when <c>commentFor</c> stores one) and queues the NTU when the
/// actor is not the token requestor.
/// </summary>
internal sealed class TokenChanges(TokenStore store, NotificationQueue notifications, TimeProvider time)
{
    public TimeProvider Time => time;

    public ChangeResult Apply(
        IReadOnlyList<string> tokenUniqueReferences,
        TokenAction action,
        ChangeActor actor,
        string? reasonCode,
        Func<Token, bool>? visible = null,
        DataChange? data = null,
        string? eventReasonCode = null,
        string? historyAction = null,
        Func<Token, string?>? commentFor = null,
        bool omitEventReason = false)
    {
        var now = time.GetUtcNow();
        lock (store.Sync)
        {
            var tokens = new List<Token>(tokenUniqueReferences.Count);
            foreach (var tur in tokenUniqueReferences)
            {
                var token = store.Find(tur);
                if (token is null || (visible is not null && !visible(token)))
                {
                    return new(ChangeFailure.UnknownToken, tur, []);
                }

                tokens.Add(token);
            }

            foreach (var token in tokens)
            {
                if (!TokenLifecycle.IsAllowed(action, token.Status))
                {
                    return new(ChangeFailure.InvalidStatus, token.TokenUniqueReference, []);
                }
            }

            var snapshots = new List<TokenSnapshot>(tokens.Count);
            foreach (var token in tokens.Distinct())
            {
                var from = Wire.Status(token.Status);
                var outcome = TokenLifecycle.Apply(token, action, actor.Party, now);
                data?.Apply(token);
                token.Record(historyAction ?? action.ToString().ToUpperInvariant(), actor.Source, from, reasonCode, actor.UserId, actor.UserName, now,
                    actor.Organization, commentFor?.Invoke(token));
                var notify = actor.Notifies && (data is null ? outcome == TransitionOutcome.Changed : data.Notify);
                if (notify)
                {
                    notifications.Enqueue(token, omitEventReason ? null : eventReasonCode ?? reasonCode, data?.ProductConfigChanged ?? false, data?.TokenInfoChanged ?? false);
                }

                snapshots.Add(TokenSnapshot.Of(token));
            }

            return new(ChangeFailure.None, null, snapshots);
        }
    }
}
