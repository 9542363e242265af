using System.ComponentModel.DataAnnotations;

namespace ObotrGateway.Api.Hosting;

/// <summary>The <c>Messaging</c> section.</summary>
internal sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>Prefix for queue and exchange names, so several environments (or test runs) can share a broker.</summary>
    [RegularExpression("^[a-z0-9-]*$", ErrorMessage = "Messaging:QueuePrefix may hold only a-z, 0-9 and '-'.")]
    public string QueuePrefix { get; set; } = "";
}
