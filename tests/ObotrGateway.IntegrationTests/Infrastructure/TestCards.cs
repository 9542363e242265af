namespace ObotrGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The simulator's deterministic test cards (docs/simulator.md). Every PAN a test sends is listed here so the
/// hygiene checks can look for all of them in logs, tables and Redis.
/// </summary>
internal static class TestCards
{
    public const string Approved = "5204730000100003";
    public const string ApprovedToo = "5204730000100011";
    public const string AdditionalAuthentication = "5204730000200001";
    public const string Declined = "5204730000300009";
    public const string Ineligible = "5204730000400007";
    public const string IssuerError = "5204730000600002";
    public const string CoBranded = "5204730000700000";
    public const string OtherApproved = "5555444433331111";
    public const string NotLuhn = "5204730000100004";

    public static IReadOnlyList<string> All { get; } =
        [Approved, ApprovedToo, AdditionalAuthentication, Declined, Ineligible, IssuerError, CoBranded, OtherApproved, NotLuhn];

    public static object Card(string pan, int expiryYear = 2031) =>
        new { pan, expiryMonth = 12, expiryYear, securityCode = "123", cardholderName = "JANE ROE" };
}
