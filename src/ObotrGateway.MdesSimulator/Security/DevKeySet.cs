using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ObotrGateway.MdesSimulator.Security;

/// <summary>
/// Development key set for the run script and the tests. Idempotent: an existing pair is kept, so the gateway and
/// the simulator keep agreeing across restarts. Private keys are gitignored and never committed.
/// </summary>
internal static class DevKeySet
{
    public const string MdesCertificate = "mdes-encryption.crt";
    public const string MdesPrivateKey = "mdes-decryption.key";
    public const string SigningKey = "tr-signing.key";
    public const string SigningCertificate = "tr-signing.crt";
    public const string EncryptionKey = "tr-encryption.key";
    public const string EncryptionCertificate = "tr-encryption.crt";
    public const string ConsumerKey = "consumer-key.txt";

    public static void Generate(string directory, TimeProvider time)
    {
        Directory.CreateDirectory(directory);
        var now = time.GetUtcNow();
        WritePair(directory, MdesPrivateKey, MdesCertificate, "CN=MDES Simulator Encryption", now);
        WritePair(directory, SigningKey, SigningCertificate, "CN=Token Requestor Signing", now);
        WritePair(directory, EncryptionKey, EncryptionCertificate, "CN=Token Requestor Encryption", now);
        var consumerKeyPath = Path.Combine(directory, ConsumerKey);
        if (!File.Exists(consumerKeyPath))
        {
            // Same shape as Mastercard's placeholders: 48 chars '!' 48 chars.
            var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)) + "!" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            File.WriteAllText(consumerKeyPath, key);
        }
    }

    private static void WritePair(string directory, string keyFile, string certificateFile, string subject, DateTimeOffset now)
    {
        var keyPath = Path.Combine(directory, keyFile);
        var certificatePath = Path.Combine(directory, certificateFile);
        if (File.Exists(keyPath) && File.Exists(certificatePath))
        {
            return;
        }

        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(3));
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
