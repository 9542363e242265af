using System.ComponentModel.DataAnnotations;

namespace ObotrGateway.Api.Mdes;

internal sealed class MdesDecryptionKeyOptions
{
    /// <summary>A .p12/.pfx with our certificate, or a PEM/DER private key.</summary>
    [Required]
    public string Path { get; set; } = "";

    public string? Password { get; set; }

    /// <summary>Our certificate for a PEM key; when absent, <c>Path</c> with a <c>.crt</c> extension is tried.</summary>
    public string? CertificatePath { get; set; }
}
