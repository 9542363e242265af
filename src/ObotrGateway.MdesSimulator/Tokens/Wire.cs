namespace ObotrGateway.MdesSimulator.Tokens;

/// <summary>Wire spellings of the simulator's enums.</summary>
internal static class Wire
{
    public static string Status(TokenStatus status) => status switch
    {
        TokenStatus.Inactive => "INACTIVE",
        TokenStatus.Active => "ACTIVE",
        TokenStatus.Suspended => "SUSPENDED",
        _ => "DEACTIVATED",
    };

    public static string Party(Party party) => party switch
    {
        Tokens.Party.Issuer => "ISSUER",
        Tokens.Party.TokenRequestor => "TOKEN_REQUESTOR",
        Tokens.Party.Cardholder => "CARDHOLDER",
        _ => "MDES",
    };

    public static string Timestamp(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
