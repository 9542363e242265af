using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ObotrGateway.MdesSimulator.Security;

internal static class PemFiles
{
    /// <summary>Reads an RSA private key in PEM; <c>ImportFromPem</c> takes both PKCS#8 and PKCS#1 labels.</summary>
    public static RSA LoadPrivateKey(string path)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(File.ReadAllText(path));
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    /// <summary>PEM or DER X.509 certificate.</summary>
    public static X509Certificate2 LoadCertificate(string path) => X509CertificateLoader.LoadCertificateFromFile(path);

    public static bool SameKey(RSA privateKey, X509Certificate2 certificate)
    {
        using var publicKey = certificate.GetRSAPublicKey();
        if (publicKey is null)
        {
            return false;
        }

        var a = privateKey.ExportParameters(false);
        var b = publicKey.ExportParameters(false);
        return a.Modulus.AsSpan().SequenceEqual(b.Modulus) && a.Exponent.AsSpan().SequenceEqual(b.Exponent);
    }
}
