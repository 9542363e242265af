using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ObotrGateway.Api.Mdes.Encryption;

/// <summary>
/// The <c>publicKeyFingerprint</c> forms in use (contract §1.3, §5.3): Mastercard's C# library config uses
/// SHA-256 of the certificate DER; the "key fingerprint" is SHA-256 of the SubjectPublicKeyInfo DER.
/// Always lowercase hex, as the libraries write it.
/// </summary>
internal static class MdesFingerprints
{
    public static string OfCertificate(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    public static string OfPublicKey(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    public static string OfPublicKey(RSA key) =>
        Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    /// <summary>SHA-1 of the certificate: 40 hex, the length shown in the spec examples and reported for MDES.</summary>
#pragma warning disable CA5350 // An identifier to look a key up by, not a security decision.
    public static string OfCertificateSha1(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(SHA1.HashData(certificate.RawData));
#pragma warning restore CA5350

    public static string For(X509Certificate2 certificate, MdesFingerprintType type) => type switch
    {
        MdesFingerprintType.PublicKey => OfPublicKey(certificate),
        _ => OfCertificate(certificate),
    };
}
