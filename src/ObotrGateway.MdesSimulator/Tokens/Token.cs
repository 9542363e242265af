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
    string? UserName);

/// <summary>An MDES token. Mutable, and only ever touched while holding <see cref="TokenStore"/>'s lock.</summary>
internal sealed class Token
{
    public const int MaxHistory = 100;

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

    public string AccountPanSuffix => AlternateAccountIdSuffix ?? FundingPan[^4..];

    public string TokenPanSuffix => TokenNumber[^4..];

    public void Record(string action, string source, string fromStatus, string? reasonCode, string? userId, string? userName, DateTimeOffset at)
    {
        if (History.Count >= MaxHistory)
        {
            History.RemoveAt(0);
        }

        History.Add(new(at, action, source, fromStatus, Wire.Status(Status), [.. SuspendedBy.Select(Wire.Party)], reasonCode, userId, userName));
    }
}
