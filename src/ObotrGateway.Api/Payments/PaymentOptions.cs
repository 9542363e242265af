using System.ComponentModel.DataAnnotations;

namespace ObotrGateway.Api.Payments;

/// <summary>The <c>Payments</c> section.</summary>
internal sealed class PaymentOptions
{
    public const string Section = "Payments";

    /// <summary>
    /// With tokenize-while-transacting inline, how long to wait for the new token to become ACTIVE before paying
    /// with the PAN instead (the token is still stored and attached to the payment).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30", ErrorMessage = "Payments:ActivationWait must be 0 to 30 s.")]
    public TimeSpan ActivationWait { get; set; } = TimeSpan.FromSeconds(3);
}
