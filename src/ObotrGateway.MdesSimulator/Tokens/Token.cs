namespace ObotrGateway.MdesSimulator.Tokens;

internal sealed record HistoryEntry(
    DateTimeOffset Timestamp,
    string Action,
    string Source,
    string FromStatus,
    string ToStatus,
    IReadOnlyList<string> SuspendedBy,
    string? ReasonCode,
    string? UserId,
    string? UserName,
    string? Organization = null,
    string? CommentId = null);

/// <summary>A Customer Service comment: carried by an action's <c>CommentText</c>, found again by its id.</summary>
internal sealed record TokenComment(string CommentId, string Text, DateTimeOffset At, string UserId, string UserName, string Organization, string? Phone);

/// <summary>An authorization the simulator's acquirer decided with this token (Customer Service <c>transactions</c>).</summary>
internal sealed record TokenAuthorization(DateTimeOffset At, long Amount, string Currency, bool Approved, string? MerchantName, string? MerchantCategoryCode);

/// <summary>A message the issuer asked MDES to show the account holder (Customer Service <c>accountholdermessaging</c>).</summary>
internal sealed record AccountHolderMessage(string MessageIdentifier, string Text, string LanguageCode, DateTimeOffset Expires, bool ShowInIssuerApp, DateTimeOffset At);

/// <summary>An MDES token. Mutable, and only ever touched while holding <see cref="TokenStore"/>'s lock.</summary>
internal sealed class Token
{
    public const int MaxHistory = 100;

    /// <summary>Bound for each of the per-token lists below (comments, authorizations, messages): memory stays bounded (ADR 0202).</summary>
    public const int MaxEntries = 100;

    public required string TokenUniqueReference { get; init; }

    public required string PanUniqueReference { get; set; }

    public required string TokenRequestorId { get; init; }

    public required string ConsumerKey { get; init; }

    public required string TaskId { get; init; }

    public required string FundingPan { get; set; }

    public required string FundingExpiryMonth { get; set; }

    public required string FundingExpiryYear { get; set; }

    public string PanSequenceNumber { get; set; } = "01";

    public required string TokenNumber { get; set; }

    public required string TokenExpiryMonth { get; set; }

    public required string TokenExpiryYear { get; set; }

    public required string PaymentAccountReference { get; set; }

    public required string CardContractId { get; set; }

    public required string ProductConfigId { get; set; }

    public string? AlternateAccountIdSuffix { get; set; }

    public TokenStatus Status { get; set; } = TokenStatus.Inactive;

    public SortedSet<Party> SuspendedBy { get; } = [];

    public DateTimeOffset StatusTimestamp { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? ActivatedAt { get; set; }

    public int ApplicationTransactionCounter { get; set; }

    /// <summary>Set by the acquirer after an approved SLI 246 payment; SLI 247 follow-ups need it.</summary>
    public bool HasInitialPayment { get; set; }

    public List<HistoryEntry> History { get; } = [];

    public List<TokenComment> Comments { get; } = [];

    public List<TokenAuthorization> Authorizations { get; } = [];

    public List<AccountHolderMessage> Messages { get; } = [];

    /// <summary>0 = not authenticated, 1 = authenticated (the issuer's ID&amp;V); yellow-path tokens start at 0.</summary>
    public int TokenAssuranceLevel { get; set; } = 1;

    /// <summary>The issuer asked for additional authentication (yellow path): the token waits INACTIVE for activation.</summary>
    public bool AdditionalAuthenticationRequired { get; init; }

    /// <summary>When the last activation code sent to the cardholder expires; cleared on activation.</summary>
    public DateTimeOffset? ActivationCodeExpiresAt { get; set; }

    /// <summary>Soft delete from the consumer app only (status unchanged).</summary>
    public bool DeletedFromConsumerApp { get; set; }

    public string AccountPanSuffix => AlternateAccountIdSuffix ?? FundingPan[^4..];

    public string TokenPanSuffix => TokenNumber[^4..];

    public void Record(
        string action, string source, string fromStatus, string? reasonCode, string? userId, string? userName, DateTimeOffset at,
        string? organization = null, string? commentId = null)
    {
        if (History.Count >= MaxHistory)
        {
            History.RemoveAt(0);
        }

        History.Add(new(at, action, source, fromStatus, Wire.Status(Status), [.. SuspendedBy.Select(Wire.Party)], reasonCode, userId, userName, organization, commentId));
    }

    /// <summary>Appends to one of the bounded per-token lists, dropping the oldest entry when full.</summary>
    public static void Append<T>(List<T> list, T item)
    {
        if (list.Count >= MaxEntries)
        {
            list.RemoveAt(0);
        }

        list.Add(item);
    }
}
