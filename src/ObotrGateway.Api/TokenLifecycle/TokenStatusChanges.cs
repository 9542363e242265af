using System.ComponentModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Api.Merchants;
using ObotrGateway.Api.Persistence;
using ObotrGateway.Api.TokenStates;

namespace ObotrGateway.Api.TokenLifecycle;

/// <summary>What became of one gateway token in a delete, suspend or unsuspend request.</summary>
internal sealed record LifecycleOutcome(
    [property: Description("The gateway token as sent.")] string GatewayToken,
    [property: Description("deleted, already_deleted, suspended, unsuspended, still_suspended, not_found or failed.")] string Result,
    [property: Description("The token's status afterwards (INACTIVE, ACTIVE, SUSPENDED, DEACTIVATED); absent when not found.")] string? Status,
    [property: Description("Who still holds a suspension: ISSUER, TOKEN_REQUESTOR (this gateway), CARDHOLDER, MOBILE_PIN_LOCKED.")] IReadOnlyList<string>? SuspendedBy,
    DateTimeOffset? StatusTimestamp,
    [property: Description("Why it failed: network_unavailable, outcome_unknown, network_error, token_deactivated, token_not_active, unknown_at_network.")] string? Error);

/// <summary>
/// Delete, Suspend and Unsuspend for any number of a merchant's gateway tokens: grouped by TRID, at most 10 TURs
/// per MDES call (MDES's limit), calls run concurrently up to <see cref="TokenLifecycleOptions.BatchParallelism"/>
/// and wait for TPS slots (batch priority) instead of failing. MDES refuses a whole call when one of its tokens is
/// in the wrong state, so such a call is split into single-token calls to find the one. The network calls run
/// first, without touching the DbContext (it is not thread-safe); their answers are applied afterwards in order.
/// Re-running a request is safe: finished tokens are answered from our records without a network call, and a
/// delete MDES already applied (timeout earlier) comes back as INVALID_TOKEN_STATUS, i.e. already deleted.
/// </summary>
internal sealed partial class TokenStatusChanges(
    GatewayDbContext db,
    IMdesClient mdes,
    TokenStateStore states,
    TokenStateReader reader,
    IOptions<TokenLifecycleOptions> options,
    TimeProvider clock,
    ILogger<TokenStatusChanges> logger)
{
    private const string InvalidTokenStatus = "INVALID_TOKEN_STATUS";
    private const string InvalidTokenUniqueReference = "INVALID_TOKEN_UNIQUE_REFERENCE";

    public async Task<IReadOnlyList<LifecycleOutcome>> ApplyAsync(CallingMerchant merchant, IReadOnlyList<string> gatewayTokens,
        LifecycleAction action, string reasonCode, string? reason, CancellationToken cancellationToken)
    {
        var requested = gatewayTokens.Distinct(StringComparer.Ordinal).ToList();
        var rows = await db.GatewayTokens
            .Where(token => requested.Contains(token.Token) && token.MerchantId == merchant.MerchantId && token.Status != TokenStatuses.Pending)
            .ToDictionaryAsync(token => token.Token, StringComparer.Ordinal, cancellationToken);

        var changes = new List<(GatewayToken Row, NetworkAnswer Answer)>();
        var toCall = new List<GatewayToken>();
        foreach (var gatewayToken in requested)
        {
            if (!rows.TryGetValue(gatewayToken, out var row) || row.TokenUniqueReference is null)
            {
                continue;
            }

            if (row.ArchivedAt is not null || row.Status == TokenStatuses.Deactivated)
            {
                // Finished earlier (or deleted by the issuer): answered from our records, no network call.
                changes.Add((row, new NetworkAnswer.AlreadyDeactivated()));
            }
            else
            {
                toCall.Add(row);
            }
        }

        // Before any call: MDES's answers are authoritative over what NTUs told us before this moment (ADR 0702).
        var askedAt = clock.GetUtcNow();
        using var gate = new SemaphoreSlim(options.Value.BatchParallelism);
        var chunks = toCall.GroupBy(token => token.TokenRequestorId)
            .SelectMany(group => group.Chunk(MdesClient.MaxTokensPerStatusChange))
            .ToList();
        var answered = await Task.WhenAll(chunks.Select(async chunk =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                return await CallAsync(chunk, action, reasonCode, reason, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }));
        changes.AddRange(answered.SelectMany(answers => answers));

        var outcomes = await RecordAsync(changes, action, askedAt, cancellationToken);
        return [.. requested.Select(gatewayToken => outcomes.TryGetValue(gatewayToken, out var outcome)
            ? outcome
            : new LifecycleOutcome(gatewayToken, LifecycleResults.NotFound, null, null, null, null))];
    }

    private async Task<IReadOnlyList<(GatewayToken Row, NetworkAnswer Answer)>> CallAsync(
        GatewayToken[] tokens, LifecycleAction action, string reasonCode, string? reason, CancellationToken cancellationToken)
    {
        var trid = tokens[0].TokenRequestorId;
        IReadOnlyList<string> turs = [.. tokens.Select(token => token.TokenUniqueReference!)];
        var call = new MdesCallContext(trid, MdesCallPriority.Batch);
        try
        {
            var answer = action switch
            {
                LifecycleAction.Delete => await mdes.DeleteAsync(turs, reasonCode, reason, call, cancellationToken),
                LifecycleAction.Suspend => await mdes.SuspendAsync(turs, reasonCode, reason, call, cancellationToken),
                _ => await mdes.UnsuspendAsync(turs, reasonCode, reason, call, cancellationToken),
            };
            var states = answer.Where(token => token.TokenUniqueReference is not null)
                .ToDictionary(token => token.TokenUniqueReference!, StringComparer.Ordinal);
            return [.. tokens.Select(token => (token, states.TryGetValue(token.TokenUniqueReference!, out var state)
                ? (NetworkAnswer)new NetworkAnswer.Changed(state)
                : new NetworkAnswer.Failed(LifecycleErrors.OutcomeUnknown)))];
        }
        catch (MdesException exception) when (exception.ReasonCode is InvalidTokenStatus or InvalidTokenUniqueReference)
        {
            if (tokens.Length > 1)
            {
                // MDES refuses the whole call for one token: ask token by token to find it, the others still go through.
                LogSplittingChunk(action, trid, tokens.Length, exception.ReasonCode);
                var singles = new List<(GatewayToken, NetworkAnswer)>();
                foreach (var token in tokens)
                {
                    singles.AddRange(await CallAsync([token], action, reasonCode, reason, cancellationToken));
                }

                return singles;
            }

            return [(tokens[0], exception.ReasonCode == InvalidTokenUniqueReference
                ? new NetworkAnswer.Failed(LifecycleErrors.UnknownAtNetwork)
                : new NetworkAnswer.Refused(await CurrentStateAsync(tokens[0], action, cancellationToken)))];
        }
        catch (MdesException exception)
        {
            LogCallFailed(action, trid, tokens.Length, exception.ReasonCode);
            return Fail(tokens, LifecycleErrors.NetworkError);
        }
        catch (MdesUnavailableException exception)
        {
            LogCallUnavailable(action, trid, tokens.Length, exception.Reason, exception.OutcomeUnknown);
            return Fail(tokens, exception.OutcomeUnknown ? LifecycleErrors.OutcomeUnknown : LifecycleErrors.NetworkUnavailable);
        }
    }

    private static (GatewayToken, NetworkAnswer)[] Fail(GatewayToken[] tokens, string error) =>
        [.. tokens.Select(token => (token, (NetworkAnswer)new NetworkAnswer.Failed(error)))];

    /// <summary>
    /// Why MDES refused a single token. Delete is allowed in every state but DEACTIVATED, so a refused delete needs
    /// no lookup; for suspend and unsuspend GetToken tells which state stood in the way.
    /// </summary>
    private async Task<MdesTokenState?> CurrentStateAsync(GatewayToken token, LifecycleAction action, CancellationToken cancellationToken)
    {
        if (action == LifecycleAction.Delete)
        {
            return new MdesTokenState { TokenUniqueReference = token.TokenUniqueReference, Status = TokenStatuses.Deactivated };
        }

        try
        {
            return (await reader.ReadAsync(token.TokenUniqueReference!, token.TokenRequestorId, MdesCallPriority.Batch, cancellationToken)).State;
        }
        catch (Exception exception) when (exception is MdesException or MdesUnavailableException)
        {
            return null;
        }
    }

    /// <summary>Stores what MDES said through the token-state module (events, purges, archive), then tells the merchant per token.</summary>
    private async Task<Dictionary<string, LifecycleOutcome>> RecordAsync(
        List<(GatewayToken Row, NetworkAnswer Answer)> changes, LifecycleAction action, DateTimeOffset askedAt, CancellationToken cancellationToken)
    {
        var answers = changes.ToDictionary(change => change.Row, change => change.Answer);
        await states.ApplyLifecycleAsync(answers.Keys, row => ReportOf(action, answers[row], askedAt));
        var outcomes = new Dictionary<string, LifecycleOutcome>(StringComparer.Ordinal);
        foreach (var (row, answer) in answers)
        {
            var result = ResultOf(action, answer, row);
            outcomes[row.Token] = new LifecycleOutcome(row.Token, result, row.Status,
                row.Status == TokenStatuses.Suspended ? row.SuspendedBy : [], row.StatusTimestamp,
                result == LifecycleResults.Failed ? ErrorOf(action, row, answer) : null);
        }

        return outcomes;
    }

    /// <summary>
    /// What MDES's answer says about the token's state. A delete that went through, or that MDES refused because the
    /// token is already deleted, makes it DEACTIVATED: terminal, whatever timestamps say.
    /// </summary>
    private static TokenReport? ReportOf(LifecycleAction action, NetworkAnswer answer, DateTimeOffset askedAt) => answer switch
    {
        NetworkAnswer.AlreadyDeactivated or NetworkAnswer.Refused when action == LifecycleAction.Delete =>
            TokenReport.Lifecycle(new MdesTokenState { Status = TokenStatuses.Deactivated }, askedAt),
        NetworkAnswer.Changed changed when action == LifecycleAction.Delete =>
            TokenReport.Lifecycle(changed.State with { Status = TokenStatuses.Deactivated, SuspendedBy = [] }, askedAt),
        NetworkAnswer.Changed changed => TokenReport.Lifecycle(changed.State, askedAt),
        NetworkAnswer.Refused { Current: { } current } => TokenReport.Lifecycle(current, askedAt),
        _ => null,
    };

    /// <summary>The merchant-facing result, from the answer and the token as it now is.</summary>
    private static string ResultOf(LifecycleAction action, NetworkAnswer answer, GatewayToken row) => answer switch
    {
        NetworkAnswer.AlreadyDeactivated or NetworkAnswer.Refused when action == LifecycleAction.Delete => LifecycleResults.AlreadyDeleted,
        NetworkAnswer.Changed when action == LifecycleAction.Delete => LifecycleResults.Deleted,
        NetworkAnswer.Changed => ResultOfStatus(action, row),
        // Unsuspending a token that is not suspended leaves it as wanted: no hold of ours is left.
        NetworkAnswer.Refused refused when action == LifecycleAction.Unsuspend && refused.Current?.Status == TokenStatuses.Active => LifecycleResults.Unsuspended,
        _ => LifecycleResults.Failed,
    };

    private static string ResultOfStatus(LifecycleAction action, GatewayToken row) => (action, row.Status) switch
    {
        (LifecycleAction.Suspend, TokenStatuses.Suspended) => LifecycleResults.Suspended,
        (LifecycleAction.Unsuspend, TokenStatuses.Active) => LifecycleResults.Unsuspended,
        (LifecycleAction.Unsuspend, TokenStatuses.Suspended) => LifecycleResults.StillSuspended,
        _ => LifecycleResults.Failed,
    };

    private static string ErrorOf(LifecycleAction action, GatewayToken row, NetworkAnswer answer) => answer switch
    {
        NetworkAnswer.Failed failed => failed.Error,
        _ when row.Status == TokenStatuses.Deactivated => LifecycleErrors.TokenDeactivated,
        _ when row.Status == TokenStatuses.Inactive => LifecycleErrors.TokenNotActive,
        NetworkAnswer.Refused { Current: null } => LifecycleErrors.NetworkUnavailable,
        _ => action == LifecycleAction.Delete ? LifecycleErrors.NetworkError : LifecycleErrors.TokenNotActive,
    };

    /// <summary>MDES's answer for one token.</summary>
    private abstract record NetworkAnswer
    {
        /// <summary>Our records already say DEACTIVATED; nothing was sent.</summary>
        public sealed record AlreadyDeactivated : NetworkAnswer;

        /// <summary>MDES applied the change; <paramref name="State"/> is the token as its response describes it.</summary>
        public sealed record Changed(MdesTokenState State) : NetworkAnswer;

        /// <summary>INVALID_TOKEN_STATUS; <paramref name="Current"/> is the state GetToken (or the rules) showed, if known.</summary>
        public sealed record Refused(MdesTokenState? Current) : NetworkAnswer;

        public sealed record Failed(string Error) : NetworkAnswer;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MDES {Action} for TRID {TokenRequestorId} refused {Count} tokens with {ReasonCode}; retrying token by token")]
    private partial void LogSplittingChunk(LifecycleAction action, string tokenRequestorId, int count, string reasonCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MDES {Action} for TRID {TokenRequestorId} failed for {Count} tokens: {ReasonCode}")]
    private partial void LogCallFailed(LifecycleAction action, string tokenRequestorId, int count, string reasonCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MDES {Action} for TRID {TokenRequestorId} unavailable for {Count} tokens: {Reason} (outcome unknown: {OutcomeUnknown})")]
    private partial void LogCallUnavailable(LifecycleAction action, string tokenRequestorId, int count, MdesUnavailableReason reason, bool outcomeUnknown);
}
