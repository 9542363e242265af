using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ObotrGateway.Api.Mdes.Encryption;

namespace ObotrGateway.UnitTests.Mdes.Encryption;

public class MdesKeyLoaderTests
{
    private static readonly byte[] Spki = MdesTestKeys.OurPrivateKey.ExportSubjectPublicKeyInfo();

    [Theory]
    [InlineData("pkcs8")]
    [InlineData("pkcs1")]
    [InlineData("der-pkcs8")]
    [InlineData("der-pkcs1")]
    public void LoadPrivateKey_unencryptedForms_loadTheKey(string form)
    {
        var key = MdesTestKeys.OurPrivateKey;
        var content = form switch
        {
            "pkcs8" => Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()),
            "pkcs1" => Encoding.ASCII.GetBytes(key.ExportRSAPrivateKeyPem()),
            "der-pkcs8" => key.ExportPkcs8PrivateKey(),
            _ => key.ExportRSAPrivateKey(),
        };

        var loaded = MdesKeyLoader.LoadPrivateKey(content, password: null);

        loaded.Key.ExportSubjectPublicKeyInfo().ShouldBe(Spki);
        loaded.Certificate.ShouldBeNull();
    }

    [Fact]
    public void LoadPrivateKey_encryptedPkcs8Pem_usesPassword()
    {
        var pem = MdesTestKeys.OurPrivateKey.ExportEncryptedPkcs8PrivateKeyPem(
            "s3cret", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000));

        MdesKeyLoader.LoadPrivateKey(Encoding.ASCII.GetBytes(pem), "s3cret").Key.ExportSubjectPublicKeyInfo().ShouldBe(Spki);
    }

    [Fact]
    public void LoadPrivateKey_pkcs12WithPassword_loadsKeyAndCertificate()
    {
        var pfx = MdesTestKeys.OurCertificate.Export(X509ContentType.Pkcs12, "p12pass");

        var loaded = MdesKeyLoader.LoadPrivateKey(pfx, "p12pass");

        loaded.Key.ExportSubjectPublicKeyInfo().ShouldBe(Spki);
        loaded.Certificate!.RawData.ShouldBe(MdesTestKeys.OurCertificate.RawData);
    }

    [Fact]
    public void LoadPrivateKey_pkcs12WithWrongPassword_throwsCryptographicException()
    {
        var pfx = MdesTestKeys.OurCertificate.Export(X509ContentType.Pkcs12, "p12pass");

        Should.Throw<CryptographicException>(() => MdesKeyLoader.LoadPrivateKey(pfx, "wrong"));
    }

    [Fact]
    public void LoadPrivateKey_pemWithKeyAndCertificate_picksUpTheCertificate()
    {
        var pem = MdesTestKeys.OurPrivateKey.ExportPkcs8PrivateKeyPem() + "\n" + MdesTestKeys.OurCertificate.ExportCertificatePem();

        MdesKeyLoader.LoadPrivateKey(Encoding.ASCII.GetBytes(pem), null).Certificate!.RawData.ShouldBe(MdesTestKeys.OurCertificate.RawData);
    }

    [Fact]
    public void LoadPrivateKey_pemWithSomeoneElsesCertificate_isRejected()
    {
        var pem = MdesTestKeys.OurPrivateKey.ExportPkcs8PrivateKeyPem() + "\n" + MdesTestKeys.MdesCertificate.ExportCertificatePem();

        Should.Throw<CryptographicException>(() => MdesKeyLoader.LoadPrivateKey(Encoding.ASCII.GetBytes(pem), null));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LoadCertificate_pemOrDer_loads(bool pem)
    {
        var content = pem ? Encoding.ASCII.GetBytes(MdesTestKeys.MdesCertificate.ExportCertificatePem()) : MdesTestKeys.MdesCertificate.RawData;

        MdesKeyLoader.LoadCertificate(content).RawData.ShouldBe(MdesTestKeys.MdesCertificate.RawData);
    }

    [Fact]
    public void DecryptionKeyFrom_keyWithCertificate_indexesAllFingerprintForms()
    {
        var key = MdesKeyRing.DecryptionKeyFrom(new MdesPrivateKey(MdesTestKeys.OurPrivateKey, MdesTestKeys.OurCertificate));

        key.Fingerprints.ShouldBe(
        [
            Convert.ToHexStringLower(SHA256.HashData(Spki)),
            Convert.ToHexStringLower(SHA256.HashData(MdesTestKeys.OurCertificate.RawData)),
            MdesFingerprints.OfCertificateSha1(MdesTestKeys.OurCertificate),
        ]);
        key.Fingerprints[2].Length.ShouldBe(40);
    }
}
