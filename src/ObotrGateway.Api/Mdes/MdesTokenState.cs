namespace ObotrGateway.Api.Mdes;

/// <summary>
/// A token as MDES describes it, in the gateway's own terms: what an NTU, GetToken, SearchTokens, a Suspend/Unsuspend/
/// Delete answer or a Tokenize response says. The token-state module (TokenStates/) decides what of it we apply.
/// </summary>
internal sealed record MdesTokenState
{
    public string? TokenUniqueReference { get; init; }

    public string? TokenRequestorId { get; init; }

    /// <summary><c>INACTIVE</c>, <c>ACTIVE</c>, <c>SUSPENDED</c>, <c>DEACTIVATED</c>; a string, to tolerate new values.</summary>
    public string? Status { get; init; }

    public IReadOnlyList<string>? SuspendedBy { get; init; }

    public string? EventReasonCode { get; init; }

    public DateTimeOffset? StatusTimestamp { get; init; }

    public ProductConfig? ProductConfig { get; init; }

    public MdesTokenInfo? TokenInfo { get; init; }
}

/// <summary>Suffixes and expiries MDES reports for a token (never a full number).</summary>
internal sealed record MdesTokenInfo
{
    public string? TokenPanSuffix { get; init; }

    public string? AccountPanSuffix { get; init; }

    /// <summary>MMYY.</summary>
    public string? TokenExpiry { get; init; }

    public string? AccountPanExpiry { get; init; }

    public string? ProductCategory { get; init; }
}

/// <summary>A Tokenize answer. <see cref="Declined"/> is a normal outcome, not an error (contract §2.1).</summary>
internal sealed record MdesTokenized(string? Decision, string? PanUniqueReference, string? PaymentAccountReference, MdesTokenState Token)
{
    public bool Declined => Decision == Wire.TokenizeResponse.Declined || Token.TokenUniqueReference is null;
}

/// <summary>Transact's DSRP data. Secrets: never logged (see ToString).</summary>
internal sealed record MdesCryptogram(string TokenNumber, string ApplicationExpiryDate, string PanSequenceNumber, string Cryptogram)
{
    public override string ToString() => nameof(MdesCryptogram);

    /// <summary>Transact's applicationExpiryDate (YYMMDD) as the MMYY we keep for tokens.</summary>
    public static string? TokenExpiryOf(string? applicationExpiryDate) =>
        applicationExpiryDate is { Length: 6 } date && date.All(char.IsAsciiDigit) ? string.Concat(date.AsSpan(2, 2), date.AsSpan(0, 2)) : null;
}

/// <summary>GetToken's tokenDetail: token number and expiry without a cryptogram (SLI 247). Secret: never logged.</summary>
internal sealed record MdesTokenNumber(string? TokenNumber, string? ExpiryMonth, string? ExpiryYear)
{
    public override string ToString() => nameof(MdesTokenNumber);
}

/// <summary>One rendition of a GetAsset answer (Base64 data as sent).</summary>
internal sealed record MdesAssetRendition(string? MediaType, string? Base64Data, int? Width, int? Height);

/// <summary>GetTaskStatus answers.</summary>
internal static class MdesTaskStatuses
{
    public const string Pending = Wire.GetTaskStatusResponse.Pending;
    public const string InProgress = Wire.GetTaskStatusResponse.InProgress;
    public const string Completed = Wire.GetTaskStatusResponse.Completed;
    public const string Failed = Wire.GetTaskStatusResponse.Failed;
}
