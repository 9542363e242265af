using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using ObotrGateway.MdesSimulator.Security;

namespace ObotrGateway.UnitTests.Simulator;

public sealed class FieldLevelEncryptionTests : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;

    public FieldLevelEncryptionTests()
    {
        _certificate = new CertificateRequest("CN=mdes", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _key.Dispose();
    }

    [Theory]
    [InlineData("SHA512", "Certificate")]
    [InlineData("SHA256", "PublicKey")]
    public void EncryptThenDecrypt_roundTrips(string oaep, string fingerprintType)
    {
        var envelope = FieldLevelEncryption.Encrypt("{\"a\":1}", _certificate, oaep, fingerprintType);

        FieldLevelEncryption.TryDecrypt(envelope, _key, Fingerprints.AcceptedFor(_certificate), out var clear).ShouldBeNull();

        clear.ShouldBe("{\"a\":1}");
        ((string)envelope["iv"]!).Length.ShouldBe(32);
        ((string)envelope["encryptedKey"]!).Length.ShouldBe(512);
        ((string)envelope["oaepHashingAlgorithm"]!).ShouldBe(oaep);
        ((string)envelope["publicKeyFingerprint"]!).ShouldBe(fingerprintType == "PublicKey"
            ? Fingerprints.PublicKeySha256(_certificate)
            : Fingerprints.CertificateSha256(_certificate));
    }

    [Fact]
    public void Decrypt_pkcs1WithoutDigestUppercaseHexAes256ZeroIv_isAccepted()
    {
        var aesKey = RandomNumberGenerator.GetBytes(32);
        using var aes = Aes.Create();
        aes.Key = aesKey;
        var data = aes.EncryptCbc(Encoding.UTF8.GetBytes("{\"b\":2}"), new byte[16]);
        var envelope = new JsonObject
        {
            ["encryptedData"] = Convert.ToHexString(data),
            ["encryptedKey"] = Convert.ToHexString(_key.Encrypt(aesKey, RSAEncryptionPadding.Pkcs1)),
            ["publicKeyFingerprint"] = Fingerprints.CertificateSha1(_certificate).ToUpperInvariant(),
        };

        FieldLevelEncryption.TryDecrypt(envelope, _key, Fingerprints.AcceptedFor(_certificate), out var clear).ShouldBeNull();

        clear.ShouldBe("{\"b\":2}");
    }

    [Theory]
    [InlineData("publicKeyFingerprint", "00", "CRYPTOGRAPHY_ERROR")]
    [InlineData("encryptedKey", "zz", "CRYPTOGRAPHY_ERROR")]
    [InlineData("oaepHashingAlgorithm", "MD5", "INVALID_FIELD_VALUE")]
    [InlineData("extra", "1", "UNRECOGNIZED_FIELD")]
    public void Decrypt_badEnvelope_failsWithReasonCode(string field, string value, string reasonCode)
    {
        var envelope = FieldLevelEncryption.Encrypt("{}", _certificate, "SHA512", "Certificate");
        envelope[field] = value;

        FieldLevelEncryption.TryDecrypt(envelope, _key, Fingerprints.AcceptedFor(_certificate), out _)!.ReasonCode.ShouldBe(reasonCode);
    }

    [Fact]
    public void Decrypt_missingEncryptedKey_failsMissingRequiredField()
    {
        var envelope = FieldLevelEncryption.Encrypt("{}", _certificate, "SHA512", "Certificate");
        envelope.Remove("encryptedKey");

        FieldLevelEncryption.TryDecrypt(envelope, _key, Fingerprints.AcceptedFor(_certificate), out _)!.ReasonCode.ShouldBe("MISSING_REQUIRED_FIELD");
    }
}
