using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ObotrGateway.MdesSimulator.Security;

internal static class Fingerprints
{
    public static string CertificateSha256(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    public static string PublicKeySha256(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    // SHA-1 is not used for security here: it is one of the fingerprint spellings MDES documents (contract §5.3).
#pragma warning disable CA5350
    public static string CertificateSha1(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(SHA1.HashData(certificate.RawData));
#pragma warning restore CA5350

    /// <summary>Every spelling of its own key MDES accepts in <c>publicKeyFingerprint</c> (contract §5.3).</summary>
    public static HashSet<string> AcceptedFor(X509Certificate2 certificate) =>
        new(StringComparer.OrdinalIgnoreCase)
        {
            CertificateSha256(certificate),
            PublicKeySha256(certificate),
            CertificateSha1(certificate),
        };
}
