using System.ComponentModel.DataAnnotations;

namespace ObotrGateway.Api.Throttling;

/// <summary>The <c>Throttling</c> section: failed authentication per client address, requests per merchant (ADR 0708).</summary>
internal sealed class ThrottlingOptions : IValidatableObject
{
    public const string Section = "Throttling";

    /// <summary>Failed authentications (a wrong merchant or admin key) one client address may make per window before 429.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Throttling:FailedAuthenticationLimit must be 1 to 1000000.")]
    public int FailedAuthenticationLimit { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Throttling:FailedAuthenticationWindow must be 1 s to 1 day.")]
    public TimeSpan FailedAuthenticationWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests one merchant may make per window, over all replicas, before 429.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Throttling:MerchantRequestLimit must be 1 to 1000000.")]
    public int MerchantRequestLimit { get; set; } = 200;

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "Throttling:MerchantRequestWindow must be 100 ms to 1 h.")]
    public TimeSpan MerchantRequestWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Per-merchant limits that differ from <see cref="MerchantRequestLimit"/> (key: merchant id).</summary>
    public Dictionary<string, int> MerchantRequestLimitOverrides { get; set; } = [];

    public int MerchantLimitFor(Guid merchantId) =>
        MerchantRequestLimitOverrides.FirstOrDefault(pair => Guid.TryParse(pair.Key, out var id) && id == merchantId) is { Key: not null } match
            ? match.Value
            : MerchantRequestLimit;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (merchantId, limit) in MerchantRequestLimitOverrides)
        {
            if (!Guid.TryParse(merchantId, out _) || limit < 1)
            {
                yield return new ValidationResult(
                    $"Throttling:MerchantRequestLimitOverrides:{merchantId} must be keyed by a merchant id and be at least 1.",
                    [nameof(MerchantRequestLimitOverrides)]);
            }
        }
    }
}
