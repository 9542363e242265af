using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ObotrGateway.Api.Mdes.Encryption;

/// <summary>A private key and, when known, its certificate (needed for the certificate fingerprint).</summary>
internal sealed record MdesPrivateKey(RSA Key, X509Certificate2? Certificate);

/// <summary>
/// Loads keys in the forms Mastercard's dashboard and our ops hand out: PKCS#12 (.p12/.pfx, with password),
/// PEM (PKCS#8, encrypted PKCS#8 or PKCS#1; a certificate block in the same file is picked up) and raw DER
/// PKCS#8/PKCS#1 (the sandbox decryption key ships as DER).
/// </summary>
internal static class MdesKeyLoader
{
    public static MdesPrivateKey LoadPrivateKeyFile(string path, string? password, string? certificatePath = null)
    {
        var privateKey = LoadPrivateKey(File.ReadAllBytes(path), password);
        if (privateKey.Certificate is not null)
        {
            return privateKey;
        }

        var siblingCertificate = System.IO.Path.ChangeExtension(path, ".crt");
        var certificateFile = certificatePath ?? (File.Exists(siblingCertificate) ? siblingCertificate : null);
        if (certificateFile is null)
        {
            return privateKey;
        }

        var certificate = LoadCertificateFile(certificateFile);
        EnsureSameKey(privateKey.Key, certificate);
        return privateKey with { Certificate = certificate };
    }

    public static MdesPrivateKey LoadPrivateKey(byte[] content, string? password)
    {
        if (LooksLikePem(content))
        {
            var text = Encoding.ASCII.GetString(content);
            var rsa = RSA.Create();
            if (text.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal))
            {
                rsa.ImportFromEncryptedPem(text, password ?? "");
            }
            else
            {
                rsa.ImportFromPem(text);
            }

            var certificate = text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : null;
            if (certificate is not null)
            {
                EnsureSameKey(rsa, certificate);
            }

            return new MdesPrivateKey(rsa, certificate);
        }

        if (TryImportDer(content, out var derKey))
        {
            return new MdesPrivateKey(derKey, null);
        }

        var pkcs12 = X509CertificateLoader.LoadPkcs12(content, password, X509KeyStorageFlags.EphemeralKeySet);
        var key = pkcs12.GetRSAPrivateKey()
            ?? throw new CryptographicException("The PKCS#12 file holds no RSA private key.");
        return new MdesPrivateKey(key, pkcs12);
    }

    public static X509Certificate2 LoadCertificateFile(string path) => LoadCertificate(File.ReadAllBytes(path));

    public static X509Certificate2 LoadCertificate(byte[] content) =>
        LooksLikePem(content)
            ? X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(content))
            : X509CertificateLoader.LoadCertificate(content);

    private static bool TryImportDer(byte[] content, out RSA key)
    {
        key = RSA.Create();
        try
        {
            key.ImportPkcs8PrivateKey(content, out _);
            return true;
        }
        catch (CryptographicException)
        {
        }

        try
        {
            key.ImportRSAPrivateKey(content, out _);
            return true;
        }
        catch (CryptographicException)
        {
            key.Dispose();
            return false;
        }
    }

    private static bool LooksLikePem(ReadOnlySpan<byte> content) => content.IndexOf("-----BEGIN "u8) >= 0;

    private static void EnsureSameKey(RSA privateKey, X509Certificate2 certificate)
    {
        // A mismatched cert would make us advertise a fingerprint MDES encrypts to but we cannot decrypt.
        var certificateKey = certificate.PublicKey.ExportSubjectPublicKeyInfo();
        if (!certificateKey.AsSpan().SequenceEqual(privateKey.ExportSubjectPublicKeyInfo()))
        {
            throw new CryptographicException("The certificate does not belong to the private key.");
        }
    }
}
