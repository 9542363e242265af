using System.ComponentModel.DataAnnotations;

namespace ObotrGateway.Api.CardData;

/// <summary>
/// The <c>DataProtection</c> section: keys for everything the gateway keeps encrypted at rest (cryptograms in
/// Redis, stored idempotent responses, bulk-job PANs) and the key for PAN fingerprints.
/// </summary>
internal sealed class DataProtectionOptions : IValidatableObject
{
    public const string Section = "DataProtection";

    /// <summary>Base64 of 32 random bytes. New data is encrypted with it.</summary>
    [Required(ErrorMessage = "DataProtection:Key (env DataProtection__Key) is required: base64 of 32 random bytes.")]
    public string Key { get; set; } = "";

    /// <summary>Older keys, still accepted for decryption while data written under them expires (rotation).</summary>
    public List<string> PreviousKeys { get; set; } = [];

    /// <summary>
    /// Base64 of 32 random bytes for the keyed PAN fingerprint (HMAC-SHA256). Kept apart from <see cref="Key"/>
    /// because it cannot rotate without recomputing every stored fingerprint.
    /// </summary>
    [Required(ErrorMessage = "DataProtection:FingerprintKey (env DataProtection__FingerprintKey) is required: base64 of 32 random bytes.")]
    public string FingerprintKey { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(Key) && !Is256BitBase64(Key))
        {
            yield return new ValidationResult("DataProtection:Key must be base64 of exactly 32 bytes.", [nameof(Key)]);
        }

        for (var i = 0; i < PreviousKeys.Count; i++)
        {
            if (!Is256BitBase64(PreviousKeys[i]))
            {
                yield return new ValidationResult($"DataProtection:PreviousKeys:{i} must be base64 of exactly 32 bytes.", [nameof(PreviousKeys)]);
            }
        }

        if (!string.IsNullOrEmpty(FingerprintKey) && !Is256BitBase64(FingerprintKey))
        {
            yield return new ValidationResult("DataProtection:FingerprintKey must be base64 of exactly 32 bytes.", [nameof(FingerprintKey)]);
        }
    }

    private static bool Is256BitBase64(string value)
    {
        Span<byte> buffer = stackalloc byte[48];
        return Convert.TryFromBase64String(value, buffer, out var written) && written == 32;
    }
}
