using System.ComponentModel.DataAnnotations;

namespace ObotrGateway.Api.Idempotency;

/// <summary>The <c>Idempotency</c> section.</summary>
internal sealed class IdempotencyOptions
{
    public const string Section = "Idempotency";

    /// <summary>How long a key is remembered; a retry after this executes again.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Idempotency:Retention must be 1 minute to 30 days.")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);
}
