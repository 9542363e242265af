using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.Encryption;

namespace ObotrGateway.UnitTests.Mdes;

/// <summary>
/// In-memory keys for both ends of the wire: "MDES" (requests are encrypted to its certificate) and "us"
/// (responses and NTUs are encrypted to ours). Generated once per test run; nothing touches disk.
/// </summary>
internal static class MdesTestKeys
{
    private static readonly (X509Certificate2 Certificate, RSA Key) Mdes = SelfSigned("CN=MDES test encryption");
    private static readonly (X509Certificate2 Certificate, RSA Key) Ours = SelfSigned("CN=OBOTR test decryption");
    private static readonly (X509Certificate2 Certificate, RSA Key) OursNext = SelfSigned("CN=OBOTR test decryption 2");

    public static X509Certificate2 MdesCertificate => Mdes.Certificate;

    public static RSA MdesKey => Mdes.Key;

    public static X509Certificate2 OurCertificate => Ours.Certificate;

    public static RSA OurPrivateKey => Ours.Key;

    public static X509Certificate2 OurSecondCertificate => OursNext.Certificate;

    public static RSA OurSecondPrivateKey => OursNext.Key;

    public static readonly RSA SigningKey = RSA.Create(2048);

    /// <summary>What the gateway uses: encrypts to MDES, decrypts with our keys.</summary>
    public static MdesKeyRing GatewayRing(MdesOaepDigest digest = MdesOaepDigest.Sha512, MdesFingerprintType type = MdesFingerprintType.Certificate) =>
        new(SigningKey, MdesCertificate, [MdesKeyRing.DecryptionKeyFrom(new MdesPrivateKey(OurPrivateKey, OurCertificate))], digest, type);

    /// <summary>The simulated MDES side: encrypts to our certificate, decrypts with MDES's key.</summary>
    public static MdesKeyRing MdesRing(MdesOaepDigest digest = MdesOaepDigest.Sha512, X509Certificate2? encryptTo = null) =>
        new(SigningKey, encryptTo ?? OurCertificate, [MdesKeyRing.DecryptionKeyFrom(new MdesPrivateKey(MdesKey, MdesCertificate))], digest, MdesFingerprintType.Certificate);

    public static (X509Certificate2 Certificate, RSA Key) SelfSigned(string subject)
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return (request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)), key);
    }
}
