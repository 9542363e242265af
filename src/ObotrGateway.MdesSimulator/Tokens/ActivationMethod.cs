namespace ObotrGateway.MdesSimulator.Tokens;

/// <summary>
/// How a yellow-path cardholder can be reached with an activation code: the same methods appear in the Tokenize
/// answer (<c>authenticationMethods</c>, Digital Enablement names) and in Customer Service
/// <c>token/activationmethods</c> (three-letter types). Values are masked, as MDES shows them.
/// </summary>
internal sealed record ActivationMethod(string Id, string DigitalEnablementType, string CustomerServiceType, string MaskedValue, bool CanResend)
{
    public static readonly IReadOnlyList<ActivationMethod> All =
    [
        new("1", "TEXT_TO_CARDHOLDER_NUMBER", "SMS", "12X-XXX-XX32", CanResend: true),
        new("2", "CARDHOLDER_TO_CALL_AUTOMATED_NUMBER", "ACC", "1-800-555-0100", CanResend: false),
    ];

    /// <summary>How long a (re)sent activation code stays valid.</summary>
    public static readonly TimeSpan CodeValidity = TimeSpan.FromMinutes(30);
}
