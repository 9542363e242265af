using Microsoft.AspNetCore.Http.HttpResults;
using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.TokenLifecycle;

/// <summary>
/// The problems a failed single-token lifecycle change maps to: one mapping for every caller of <see cref="TokenStatusChanges"/>
/// (the merchant's lifecycle endpoints and the Hyperswitch delete, which rewrites them into its own error shape).
/// </summary>
internal static class LifecycleProblems
{
    /// <summary>A single-token change that failed, as the problem the merchant should act on.</summary>
    public static ProblemHttpResult For(LifecycleOutcome outcome) => outcome.Error switch
    {
        LifecycleErrors.NetworkUnavailable => Problems.NetworkUnavailable(TimeSpan.FromSeconds(1)),
        LifecycleErrors.OutcomeUnknown => Problems.Create(StatusCodes.Status503ServiceUnavailable, "network_outcome_unknown",
            "The card network did not answer in time.", "The change may or may not have been applied. Retry the same request: it reconciles.",
            new Dictionary<string, object?> { ["retryAfterSeconds"] = 1 }),
        LifecycleErrors.TokenDeactivated => Problems.Create(StatusCodes.Status409Conflict, "token_deactivated",
            "The token is deleted.", "A deleted (DEACTIVATED) token cannot be suspended or resumed."),
        LifecycleErrors.TokenNotActive => Problems.TokenNotActive(outcome.GatewayToken, outcome.Status ?? "", outcome.SuspendedBy ?? [],
            "MDES allows suspend and resume only once the token is ACTIVE."),
        LifecycleErrors.UnknownAtNetwork => Problems.Create(StatusCodes.Status409Conflict, "token_unknown_at_network",
            "The network no longer knows this token."),
        _ => Problems.NetworkError(null),
    };
}
