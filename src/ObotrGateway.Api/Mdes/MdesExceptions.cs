using System.Net;

namespace ObotrGateway.Api.Mdes;

/// <summary>One error as MDES (or the Mastercard API gateway in front of it) reported it, whatever the envelope shape.</summary>
/// <param name="Source">E.g. <c>Gateway</c>, <c>MDES</c>, <c>INPUT</c>; <c>HTTP</c> when no envelope was present.</param>
/// <param name="ReasonCode">Stable code such as <c>INVALID_TOKEN_UNIQUE_REFERENCE</c>; falls back to the legacy <c>errorCode</c>.</param>
/// <param name="ErrorCode">Gateway-style code (e.g. <c>E0010097</c>) when MDES sent one separately.</param>
/// <param name="Description">E.g. <c>Invalid Field Value - accountNumber</c>.</param>
/// <param name="Recoverable">MDES's hint that the same request may succeed later.</param>
internal sealed record MdesError(
    string Source,
    string ReasonCode,
    string? ErrorCode,
    string? Description,
    bool Recoverable);

/// <summary>MDES answered with an error envelope (contract §4): a definitive answer, the call did not take effect.</summary>
internal sealed class MdesException : Exception
{
    public MdesException(MdesOperation operation, HttpStatusCode httpStatus, IReadOnlyList<MdesError> errors, string? responseId)
        : base($"MDES {operation} failed with HTTP {(int)httpStatus}: {Describe(errors)}")
    {
        Operation = operation;
        HttpStatus = httpStatus;
        Errors = errors;
        ResponseId = responseId;
    }

    public MdesOperation Operation { get; }

    public HttpStatusCode HttpStatus { get; }

    /// <summary>The first error; MDES sends one in practice, the envelope allows several.</summary>
    public MdesError Error => Errors[0];

    public IReadOnlyList<MdesError> Errors { get; }

    public string ReasonCode => Error.ReasonCode;

    public string ErrorSource => Error.Source;

    public bool Recoverable => Error.Recoverable;

    public string? ResponseId { get; }

    // Descriptions are MDES-authored field names and phrases, never card data, so they are safe to carry.
    private static string Describe(IReadOnlyList<MdesError> errors) =>
        string.Join("; ", errors.Select(e => $"{e.Source}/{e.ReasonCode}" + (e.Description is null ? "" : $" ({e.Description})")));
}

internal enum MdesUnavailableReason
{
    /// <summary>No answer within the per-attempt or total timeout.</summary>
    Timeout,

    /// <summary>The connection could not be established; MDES never saw the request.</summary>
    ConnectionFailed,

    /// <summary>The connection broke after the request may have been sent.</summary>
    TransportError,

    /// <summary>HTTP 5xx without an MDES error envelope.</summary>
    ServerError,

    /// <summary>HTTP 429 from MDES or its gateway.</summary>
    Throttled,

    /// <summary>Our circuit breaker is open after repeated failures; nothing was sent.</summary>
    CircuitOpen,

    /// <summary>Our per-TRID TPS cap had no slot within the caller's wait budget; nothing was sent.</summary>
    TpsLimitReached,

    /// <summary>The shared TPS limiter (Redis) could not be consulted; nothing was sent.</summary>
    RateLimiterUnavailable,
}

/// <summary>
/// MDES could not be reached or did not answer definitively. When <see cref="OutcomeUnknown"/> is true a
/// non-idempotent call (Tokenize, Transact, Delete, Suspend, Unsuspend) may have taken effect: reconcile
/// (GetTaskStatus, GetToken, SearchTokens) instead of repeating it blindly.
/// </summary>
internal class MdesUnavailableException : Exception
{
    public MdesUnavailableException(
        MdesOperation operation,
        MdesUnavailableReason reason,
        bool outcomeUnknown,
        TimeSpan? retryAfter = null,
        HttpStatusCode? httpStatus = null,
        Exception? innerException = null)
        : base(
            $"MDES {operation} unavailable: {reason}" +
            (httpStatus is null ? "" : $" (HTTP {(int)httpStatus})") +
            (outcomeUnknown ? "; the outcome is unknown and must be reconciled" : "; the request did not take effect") +
            (retryAfter is null ? "" : $"; retry after {retryAfter.Value.TotalSeconds:0.###} s"),
            innerException)
    {
        Operation = operation;
        Reason = reason;
        OutcomeUnknown = outcomeUnknown;
        RetryAfter = retryAfter;
        HttpStatus = httpStatus;
    }

    public MdesOperation Operation { get; }

    public MdesUnavailableReason Reason { get; }

    /// <summary>True when MDES may have processed the request (timeout or 5xx after sending a write).</summary>
    public bool OutcomeUnknown { get; }

    /// <summary>From MDES's <c>Retry-After</c> or our limiter; the merchant API echoes it with its 503.</summary>
    public TimeSpan? RetryAfter { get; }

    public HttpStatusCode? HttpStatus { get; }
}

/// <summary>The per-TRID TPS cap is exhausted for longer than an interactive caller may wait; nothing was sent.</summary>
internal sealed class MdesTpsLimitExceededException : MdesUnavailableException
{
    public MdesTpsLimitExceededException(MdesOperation operation, string tokenRequestorId, TimeSpan retryAfter)
        : base(operation, MdesUnavailableReason.TpsLimitReached, outcomeUnknown: false, retryAfter)
    {
        TokenRequestorId = tokenRequestorId;
    }

    public string TokenRequestorId { get; }
}

/// <summary>A request that MDES would reject, caught before sending (e.g. more than 10 token unique references).</summary>
internal sealed class MdesRequestValidationException : ArgumentException
{
    public MdesRequestValidationException(string message, string paramName)
        : base(message, paramName)
    {
    }
}
