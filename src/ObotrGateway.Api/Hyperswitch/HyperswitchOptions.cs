using System.ComponentModel.DataAnnotations;

namespace ObotrGateway.Api.Hyperswitch;

/// <summary>The <c>Hyperswitch</c> section (docs/hyperswitch.md).</summary>
internal sealed class HyperswitchOptions
{
    public const string Section = "Hyperswitch";

    /// <summary>
    /// How long a key replaced by a rotation still decrypts card data sent under its key id (ADR 1102): long enough for the
    /// operator to paste the new key into every Hyperswitch replica's configuration and restart them.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "90.00:00:00", ErrorMessage = "Hyperswitch:RetiredKeyLifetime must be 0 to 90 days.")]
    public TimeSpan RetiredKeyLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Answer check-token-status with SUSPENDED, EXPIRED and DELETED as well as ACTIVE/INACTIVE. Only Hyperswitch builds
    /// from 2025 on parse them; older ones fail the whole answer, so the default maps them all to INACTIVE.
    /// </summary>
    public bool ExtendedTokenStatuses { get; set; }

    /// <summary>
    /// Send the <c>token</c> webhook when a token's expiry changes. Hyperswitch v1 applies it to the card's columns rather
    /// than the network token's (contract U8), so an operator running such a build may turn it off; card webhooks stay.
    /// </summary>
    public bool TokenExpiryWebhooks { get; set; } = true;

    /// <summary>How long generate waits for a new token's activation before it gives up (the token number needs an ACTIVE token).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:20", ErrorMessage = "Hyperswitch:ActivationWait must be 0 to 20 s (Hyperswitch waits 30 s).")]
    public TimeSpan ActivationWait { get; set; } = TimeSpan.FromSeconds(5);
}
