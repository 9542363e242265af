namespace ObotrGateway.Api.Hosting;

/// <summary>The <c>Redis</c> section.</summary>
internal sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>Prefix for every key the gateway writes, so environments (and test runs) can share a server.</summary>
    [System.ComponentModel.DataAnnotations.RegularExpression("^[A-Za-z0-9:_-]*$", ErrorMessage = "Redis:KeyPrefix may hold only letters, digits, ':', '_' and '-'.")]
    public string KeyPrefix { get; set; } = "obotr:";
}
