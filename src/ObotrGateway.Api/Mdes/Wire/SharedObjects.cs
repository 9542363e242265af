using System.Text.Json.Serialization;

namespace ObotrGateway.Api.Mdes.Wire;

/// <summary>Fields the client stamps on every request (contract §1.1); callers leave them unset.</summary>
internal abstract record MdesRequest
{
    public string? RequestId { get; init; }

    public string? ResponseHost { get; init; }
}

/// <summary>Token metadata; the NTU/GetToken variant adds <see cref="AccountPanPrefix"/>.</summary>
internal sealed record TokenInfo
{
    public string? TokenPanSuffix { get; init; }

    public string? AccountPanSuffix { get; init; }

    public string? AccountPanPrefix { get; init; }

    public string? TokenExpiry { get; init; }

    public string? AccountPanExpiry { get; init; }

    [JsonConverter(typeof(FlexibleBooleanConverter))]
    public bool? DsrpCapable { get; init; }

    public int? TokenAssuranceLevel { get; init; }

    public string? ProductCategory { get; init; }
}

/// <summary>A token as GetToken, SearchTokens, Suspend/Unsuspend/Delete and NotifyTokenUpdated describe it.</summary>
internal sealed record MdesToken
{
    public string? TokenUniqueReference { get; init; }

    public string? TokenRequestorId { get; init; }

    /// <summary><c>INACTIVE</c>, <c>ACTIVE</c>, <c>SUSPENDED</c>, <c>DEACTIVATED</c>; kept as a string to tolerate new values.</summary>
    public string? Status { get; init; }

    public IReadOnlyList<string>? SuspendedBy { get; init; }

    public string? EventReasonCode { get; init; }

    public DateTimeOffset? StatusTimestamp { get; init; }

    public ProductConfig? ProductConfig { get; init; }

    public TokenInfo? TokenInfo { get; init; }
}

/// <summary>Response of Suspend, Unsuspend and Delete.</summary>
internal sealed record TokenStatusChangeResponse
{
    public string? ResponseHost { get; init; }

    public string? ResponseId { get; init; }

    public IReadOnlyList<MdesToken> Tokens { get; init; } = [];
}

/// <summary>Request of Suspend, Unsuspend and Delete (contract §2.3–2.5); at most 10 TURs.</summary>
internal sealed record TokenStatusChangeRequest : MdesRequest
{
    public const int MaxTokenUniqueReferences = 10;

    public required IReadOnlyList<string> TokenUniqueReferences { get; init; }

    /// <summary><c>CARDHOLDER</c> or <c>TOKEN_REQUESTOR</c>.</summary>
    public required string CausedBy { get; init; }

    /// <summary><c>SUSPECTED_FRAUD</c>, <c>OTHER</c> (Unsuspend also <c>DEVICE_FOUND</c>, <c>NOT_FRAUD</c>).</summary>
    public required string ReasonCode { get; init; }

    public string? Reason { get; init; }
}
