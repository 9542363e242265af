namespace ObotrGateway.MdesSimulator.DigitalEnablement;

/// <summary>Request shapes of contract §2 (spec 1.3.x). Fields of older versions (1.2.7) are unrecognized.</summary>
internal static class MdesShapes
{
    private static readonly Field ResponseHost = new("responseHost", FieldKind.String, Min: 11, Max: 64, Reason: "INVALID_RESPONSE_HOST");
    private static readonly Field RequestId = new("requestId", FieldKind.String, Required: true, Min: 1, Max: 64);
    private static readonly Field PaymentAppInstanceId = new("paymentAppInstanceId", FieldKind.String, Min: 1, Max: 48);
    private static readonly Field Trid = new("tokenRequestorId", FieldKind.String, Required: true, Min: 11, Max: 11, Format: Digits);
    private static readonly Field TaskId = new("taskId", FieldKind.String, Required: true, Min: 1, Max: 64);

    public static bool Digits(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);

    public static bool Hex(string s) => s.Length > 0 && s.All(char.IsAsciiHexDigit);

    private static bool Month(string s) => Digits(s) && s is ['0', >= '1' and <= '9'] or ['1', >= '0' and <= '2'];

    private static bool Tur(string s) => s.Length is > 0 and <= 64;

    public static readonly RequestShape FundingAccountInfo = new(
        new Field("panUniqueReference", FieldKind.String, Min: 1, Max: 64),
        new Field("tokenUniqueReference", FieldKind.String, Min: 48, Max: 64),
        new Field("encryptedPayload", FieldKind.Object));

    public static readonly RequestShape DecisioningData = new(
        new Field("recommendation", FieldKind.String, OneOf: ["APPROVED", "DECLINED"]),
        new Field("recommendationAlgorithmVersion", FieldKind.String, OneOf: ["01"]),
        new Field("deviceScore", FieldKind.String, OneOf: ["1", "2", "3", "4", "5"]),
        new Field("accountScore", FieldKind.String, OneOf: ["1", "2", "3", "4", "5"]),
        new Field("recommendationReasons", FieldKind.StringArray, Max: 10),
        new Field("deviceCurrentLocation", FieldKind.String, Min: 1, Max: 14),
        new Field("deviceIpAddress", FieldKind.String, Min: 7, Max: 15),
        new Field("mobileNumberSuffix", FieldKind.String, Min: 4, Max: 32),
        new Field("accountIdHash", FieldKind.String, Min: 1, Max: 64, Format: Hex));

    public static readonly RequestShape Tokenize = new(
        ResponseHost,
        RequestId,
        new Field("tokenType", FieldKind.String, Required: true, OneOf: ["CLOUD"]),
        Trid,
        TaskId,
        new Field("fundingAccountInfo", FieldKind.Object, Required: true, Nested: FundingAccountInfo),
        new Field("consumerLanguage", FieldKind.String, Min: 2, Max: 2),
        new Field("tokenizationAuthenticationValue", FieldKind.String, Min: 1, Max: 2048),
        new Field("decisioningData", FieldKind.Object, Nested: DecisioningData));

    private static readonly RequestShape BillingAddress = new(
        new Field("line1", FieldKind.String, Max: 64),
        new Field("line2", FieldKind.String, Max: 64),
        new Field("city", FieldKind.String, Max: 32),
        new Field("countrySubdivision", FieldKind.String, Max: 12),
        new Field("postalCode", FieldKind.String, Max: 16),
        new Field("country", FieldKind.String, Min: 3, Max: 3));

    private static readonly RequestShape AccountHolderData = new(
        new Field("accountHolderName", FieldKind.String, Max: 27),
        new Field("accountHolderAddress", FieldKind.Object, Nested: BillingAddress),
        new Field("consumerIdentifier", FieldKind.String, Max: 88),
        new Field("accountHolderEmailAddress", FieldKind.String, Min: 6, Max: 320),
        new Field("accountHolderMobilePhoneNumber", FieldKind.Object, Nested: new RequestShape(
            new Field("countryDialInCode", FieldKind.Number),
            new Field("phoneNumber", FieldKind.Number))));

    private static RequestShape CardAccountData(int minPanLength) => new(
        new Field("accountNumber", FieldKind.String, Required: true, Min: minPanLength, Max: 19, Format: Digits),
        new Field("expiryMonth", FieldKind.String, Min: 2, Max: 2, Format: Month),
        new Field("expiryYear", FieldKind.String, Min: 2, Max: 2, Format: Digits),
        new Field("securityCode", FieldKind.String, Min: 3, Max: 3, Format: Digits));

    /// <summary>The decrypted <c>encryptedData</c> of Tokenize.</summary>
    public static readonly RequestShape FundingAccountData = new(
        new Field("cardAccountData", FieldKind.Object, Required: true, Nested: CardAccountData(9)),
        new Field("accountHolderData", FieldKind.Object, Nested: AccountHolderData),
        new Field("source", FieldKind.String, Required: true,
            OneOf: ["ACCOUNT_ON_FILE", "ACCOUNT_ADDED_MANUALLY", "ACCOUNT_ADDED_VIA_APPLICATION", "EXISTING_TOKEN_CREDENTIAL"]));

    /// <summary>Search Tokens: only the account number matters (6 digits allowed when a TUR is given), no source.</summary>
    public static readonly RequestShape SearchFundingAccountData = new(
        new Field("cardAccountData", FieldKind.Object, Required: true, Nested: CardAccountData(6)),
        new Field("accountHolderData", FieldKind.Object, Nested: AccountHolderData),
        new Field("source", FieldKind.String,
            OneOf: ["ACCOUNT_ON_FILE", "ACCOUNT_ADDED_MANUALLY", "ACCOUNT_ADDED_VIA_APPLICATION", "EXISTING_TOKEN_CREDENTIAL"]));

    public static readonly RequestShape Transact = new(
        ResponseHost,
        RequestId,
        new Field("tokenUniqueReference", FieldKind.String, Required: true, Min: 1, Max: 64),
        new Field("dsrpType", FieldKind.String, Required: true, OneOf: ["UCAF"]),
        new Field("unpredictableNumber", FieldKind.String, Min: 8, Max: 8, Format: Hex));

    private static RequestShape Lifecycle(string[] reasonCodes) => new(
        ResponseHost,
        RequestId,
        PaymentAppInstanceId,
        new Field("tokenUniqueReferences", FieldKind.StringArray, Required: true, Min: 1, Max: 10, Format: Tur),
        new Field("causedBy", FieldKind.String, Required: true, OneOf: ["CARDHOLDER", "TOKEN_REQUESTOR"]),
        new Field("reason", FieldKind.String, Max: 256),
        new Field("reasonCode", FieldKind.String, Required: true, OneOf: reasonCodes));

    public static readonly RequestShape Suspend = Lifecycle(["SUSPECTED_FRAUD", "OTHER"]);

    public static readonly RequestShape Delete = Lifecycle(["SUSPECTED_FRAUD", "OTHER"]);

    // Spec 1.3.3 lists DEVICE_FOUND/NOT_FRAUD/OTHER, 1.3.0 SUSPECTED_FRAUD/OTHER: the union is accepted (contract §5.8).
    public static readonly RequestShape Unsuspend = Lifecycle(["DEVICE_FOUND", "NOT_FRAUD", "SUSPECTED_FRAUD", "OTHER"]);

    public static readonly RequestShape GetToken = new(
        ResponseHost,
        RequestId,
        PaymentAppInstanceId,
        new Field("tokenUniqueReference", FieldKind.String, Required: true, Min: 1, Max: 64),
        new Field("includeTokenDetail", FieldKind.String, Min: 4, Max: 5, OneOf: ["true", "false"]));

    public static readonly RequestShape SearchTokens = new(
        RequestId,
        ResponseHost,
        Trid with { Required = false },
        new Field("fundingAccountInfo", FieldKind.Object, Required: true, Nested: FundingAccountInfo));

    public static readonly RequestShape GetTaskStatus = new(ResponseHost, RequestId, Trid, TaskId);
}
