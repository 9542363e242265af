using System.Text.Json.Serialization;

namespace ObotrGateway.Api.Mdes.Wire;

internal sealed record TokenizeRequest : MdesRequest
{
    public string TokenType { get; init; } = "CLOUD";

    /// <summary>The merchant's 11-digit TRID (OBO model); set by the client from the call context.</summary>
    public string? TokenRequestorId { get; init; }

    /// <summary>Unique per TRID; GetTaskStatus looks the outcome up by it after an unknown outcome.</summary>
    public required string TaskId { get; init; }

    public required FundingAccountInfo FundingAccountInfo { get; init; }

    public string? ConsumerLanguage { get; init; }

    public string? TokenizationAuthenticationValue { get; init; }

    public DecisioningData? DecisioningData { get; init; }
}

/// <summary>On the wire <c>encryptedPayload</c> carries ciphertext; in memory it holds the clear account data.</summary>
internal sealed record FundingAccountInfo
{
    public string? PanUniqueReference { get; init; }

    public string? TokenUniqueReference { get; init; }

    public FundingAccountPayload? EncryptedPayload { get; init; }
}

internal sealed record FundingAccountPayload(FundingAccountData EncryptedData);

internal sealed record FundingAccountData
{
    public CardAccountData? CardAccountData { get; init; }

    public AccountHolderData? AccountHolderData { get; init; }

    /// <summary><c>ACCOUNT_ON_FILE</c>, <c>ACCOUNT_ADDED_MANUALLY</c>, <c>ACCOUNT_ADDED_VIA_APPLICATION</c>.</summary>
    public string? Source { get; init; }
}

internal sealed record CardAccountData
{
    public required string AccountNumber { get; init; }

    public string? ExpiryMonth { get; init; }

    public string? ExpiryYear { get; init; }

    public string? SecurityCode { get; init; }

    // Card data must never reach a log line through a record's generated ToString.
    public override string ToString() => nameof(CardAccountData);
}

internal sealed record AccountHolderData
{
    public string? AccountHolderName { get; init; }

    public BillingAddress? AccountHolderAddress { get; init; }

    public string? ConsumerIdentifier { get; init; }

    public string? AccountHolderEmailAddress { get; init; }

    public MobilePhoneNumber? AccountHolderMobilePhoneNumber { get; init; }

    public override string ToString() => nameof(AccountHolderData);
}

internal sealed record BillingAddress
{
    public string? Line1 { get; init; }

    public string? Line2 { get; init; }

    public string? City { get; init; }

    public string? CountrySubdivision { get; init; }

    public string? PostalCode { get; init; }

    public string? Country { get; init; }
}

/// <summary>Held as strings (read from either form); written as the spec's numbers (<see cref="PhoneNumberConverter"/>).</summary>
internal sealed record MobilePhoneNumber
{
    [JsonConverter(typeof(PhoneNumberConverter))]
    public string? CountryDialInCode { get; init; }

    [JsonConverter(typeof(PhoneNumberConverter))]
    public string? PhoneNumber { get; init; }
}

internal sealed record DecisioningData
{
    public string? Recommendation { get; init; }

    public string? RecommendationAlgorithmVersion { get; init; }

    public string? DeviceScore { get; init; }

    public string? AccountScore { get; init; }

    public IReadOnlyList<string>? RecommendationReasons { get; init; }

    public string? DeviceCurrentLocation { get; init; }

    public string? DeviceIpAddress { get; init; }

    public string? MobileNumberSuffix { get; init; }

    public string? AccountIdHash { get; init; }
}

/// <summary><c>DECLINED</c> is a normal outcome here, not an error (contract §2.1).</summary>
internal sealed record TokenizeResponse
{
    public const string Approved = "APPROVED";
    public const string Declined = "DECLINED";
    public const string RequireAdditionalAuthentication = "REQUIRE_ADDITIONAL_AUTHENTICATION";

    public string? ResponseHost { get; init; }

    public string? ResponseId { get; init; }

    public string? Decision { get; init; }

    public IReadOnlyList<AuthenticationMethod>? AuthenticationMethods { get; init; }

    public string? TokenUniqueReference { get; init; }

    public string? PanUniqueReference { get; init; }

    public ProductConfig? ProductConfig { get; init; }

    public TokenInfo? TokenInfo { get; init; }

    public TokenDetail? TokenDetail { get; init; }

    [JsonConverter(typeof(FlexibleBooleanConverter))]
    public bool? SupportsAuthentication { get; init; }
}

internal sealed record AuthenticationMethod
{
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Id { get; init; }

    public string? Type { get; init; }

    public string? Value { get; init; }
}

/// <summary>Decrypted <c>tokenDetail</c> of Tokenize and GetToken.</summary>
internal sealed record TokenDetail
{
    public string? TokenUniqueReference { get; init; }

    public TokenDetailData? EncryptedData { get; init; }
}

internal sealed record TokenDetailData
{
    public string? TokenNumber { get; init; }

    public string? ExpiryMonth { get; init; }

    public string? ExpiryYear { get; init; }

    public string? PaymentAccountReference { get; init; }

    public DateTimeOffset? DataValidUntilTimestamp { get; init; }

    public override string ToString() => nameof(TokenDetailData);
}
