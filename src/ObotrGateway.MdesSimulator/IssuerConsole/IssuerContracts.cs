namespace ObotrGateway.MdesSimulator.IssuerConsole;

/// <summary>Search by funding PAN (<c>pan</c>) or by <c>tokenUniqueReference</c> — exactly one.</summary>
internal sealed record IssuerSearchRequest(string? Pan, string? TokenUniqueReference);

/// <summary>Suspend, unsuspend, delete and redigitize. <c>userId</c>/<c>userName</c> are required for the audit trail.</summary>
internal sealed record IssuerLifecycleRequest(
    IReadOnlyList<string>? TokenUniqueReferences,
    string? ReasonCode,
    string? UserId,
    string? UserName,
    string? Comment,
    bool? DeleteFromConsumerApp);

/// <summary>FPAN swap (new PAN + expiry, optional PSN), product configuration change, alternate account id removal.</summary>
internal sealed record IssuerUpdateRequest(
    IReadOnlyList<string>? TokenUniqueReferences,
    string? ReasonCode,
    string? UserId,
    string? UserName,
    string? NewAccountNumber,
    string? NewExpiryMonth,
    string? NewExpiryYear,
    string? NewPanSequenceNumber,
    string? ProductConfigId,
    bool? RemoveAlternateAccountId);

/// <summary>Mastercard Processing setTokenStatus: <c>SUSPEND</c>, <c>RESUME</c> or <c>DEACTIVATE</c>.</summary>
internal sealed record SetTokenStatusRequest(string? TokenStatus, string? TokenNumber, string? TokenUniqueReference, string? UserId, string? UserName);

internal sealed record IssuerToken(
    string TokenUniqueReference,
    string TokenRequestorId,
    string Status,
    IReadOnlyList<string> SuspendedBy,
    string StatusTimestamp,
    string CardContractId,
    string PanUniqueReference,
    string PaymentAccountReference,
    string AccountPanSuffix,
    string? AlternateAccountIdSuffix,
    string TokenPanSuffix,
    string TokenExpiry,
    string ProductConfigId);

internal sealed record IssuerTokensResponse(IReadOnlyList<IssuerToken> Tokens);

internal sealed record IssuerHistoryEntry(
    string Timestamp,
    string Action,
    string Source,
    string FromStatus,
    string ToStatus,
    IReadOnlyList<string> SuspendedBy,
    string? ReasonCode,
    string? UserId,
    string? UserName,
    string? CommentId);

internal sealed record IssuerHistoryResponse(string TokenUniqueReference, IReadOnlyList<IssuerHistoryEntry> Entries);

internal sealed record IssuerError(string ReasonCode, string Description);
