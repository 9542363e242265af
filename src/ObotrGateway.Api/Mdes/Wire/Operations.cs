using System.Text.Json.Serialization;

namespace ObotrGateway.Api.Mdes.Wire;

internal sealed record TransactRequest : MdesRequest
{
    public required string TokenUniqueReference { get; init; }

    public string DsrpType { get; init; } = "UCAF";

    /// <summary>Exactly 8 hex characters; optional since 1.3.0.</summary>
    public string? UnpredictableNumber { get; init; }
}

internal sealed record TransactResponse
{
    public string? ResponseHost { get; init; }

    public string? ResponseId { get; init; }

    public TransactPayload? EncryptedPayload { get; init; }
}

internal sealed record TransactPayload(TransactData? EncryptedData);

/// <summary>Decrypted DSRP data: token PAN and cryptogram — never log it.</summary>
internal sealed record TransactData
{
    public string? AccountNumber { get; init; }

    /// <summary><c>YYMMDD</c>.</summary>
    public string? ApplicationExpiryDate { get; init; }

    public string? PanSequenceNumber { get; init; }

    public string? Track2Equivalent { get; init; }

    /// <summary>UCAF cryptogram for DE48 SE43.</summary>
    public string? De48se43Data { get; init; }

    /// <summary>Only in spec 1.2.7.</summary>
    public string? De55Data { get; init; }

    public override string ToString() => nameof(TransactData);
}

internal sealed record GetTokenRequest : MdesRequest
{
    public required string TokenUniqueReference { get; init; }

    /// <summary>A string <c>"true"</c>/<c>"false"</c> on the wire (contract §2.6).</summary>
    [JsonConverter(typeof(FlexibleBooleanConverter))]
    public bool IncludeTokenDetail { get; init; }
}

internal sealed record GetTokenResponse
{
    public string? ResponseHost { get; init; }

    public string? ResponseId { get; init; }

    public MdesToken? Token { get; init; }

    public TokenDetail? TokenDetail { get; init; }
}

internal sealed record SearchTokensRequest : MdesRequest
{
    public string? TokenRequestorId { get; init; }

    public required FundingAccountInfo FundingAccountInfo { get; init; }
}

internal sealed record SearchTokensResponse
{
    public string? ResponseHost { get; init; }

    public string? ResponseId { get; init; }

    public IReadOnlyList<MdesToken> Tokens { get; init; } = [];
}

internal sealed record GetTaskStatusRequest : MdesRequest
{
    public string? TokenRequestorId { get; init; }

    public required string TaskId { get; init; }
}

internal sealed record GetTaskStatusResponse
{
    public const string Pending = "PENDING";
    public const string InProgress = "IN_PROGRESS";
    public const string Completed = "COMPLETED";
    public const string Failed = "FAILED";

    public string? ResponseHost { get; init; }

    public string? ResponseId { get; init; }

    public string? Status { get; init; }
}

internal sealed record GetAssetResponse
{
    public IReadOnlyList<MediaContent> MediaContents { get; init; } = [];
}

internal sealed record MediaContent
{
    /// <summary>MIME type, e.g. <c>image/png</c>, <c>application/pdf</c>.</summary>
    public string? Type { get; init; }

    /// <summary>Base64.</summary>
    public string? Data { get; init; }

    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Height { get; init; }

    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Width { get; init; }
}

/// <summary>Inbound NotifyTokenUpdated after decryption (contract §3).</summary>
internal sealed record NotifyTokenUpdatedRequest
{
    public string? ResponseHost { get; init; }

    public string? RequestId { get; init; }

    public NotifyTokenUpdatedPayload? EncryptedPayload { get; init; }

    public bool? RedigitizationRequired { get; init; }
}

internal sealed record NotifyTokenUpdatedPayload(NotifyTokenUpdatedData? EncryptedData);

internal sealed record NotifyTokenUpdatedData
{
    public IReadOnlyList<MdesToken> Tokens { get; init; } = [];
}

/// <summary>Our HTTP 200 acknowledgement of a NotifyTokenUpdated.</summary>
internal sealed record NotifyTokenUpdatedResponse(string? ResponseHost, string? ResponseId);
