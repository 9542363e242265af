using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace ObotrGateway.MdesSimulator.Security;

internal sealed record FleFailure(string ReasonCode, string Description);

/// <summary>Mastercard's legacy field-level encryption (contract §1.3): AES-CBC/PKCS7 data, RSA-wrapped key, hex.</summary>
internal static class FieldLevelEncryption
{
    public static readonly string[] EnvelopeFields = ["encryptedData", "encryptedKey", "iv", "publicKeyFingerprint", "oaepHashingAlgorithm"];

    /// <summary>Encrypts <paramref name="plaintextJson"/> to the recipient's certificate with a fresh AES-128 key and IV.</summary>
    public static JsonObject Encrypt(string plaintextJson, X509Certificate2 recipient, string oaepHashingAlgorithm, string fingerprintType)
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var iv = RandomNumberGenerator.GetBytes(16);
        using var aes = Aes.Create();
        aes.Key = key;
        var cipher = aes.EncryptCbc(Encoding.UTF8.GetBytes(plaintextJson), iv, PaddingMode.PKCS7);
        using var rsa = recipient.GetRSAPublicKey() ?? throw new InvalidOperationException("Recipient certificate has no RSA key");
        var padding = string.Equals(oaepHashingAlgorithm, "SHA256", StringComparison.OrdinalIgnoreCase)
            ? RSAEncryptionPadding.OaepSHA256
            : RSAEncryptionPadding.OaepSHA512;
        var wrapped = rsa.Encrypt(key, padding);
        var fingerprint = string.Equals(fingerprintType, "PublicKey", StringComparison.OrdinalIgnoreCase)
            ? Fingerprints.PublicKeySha256(recipient)
            : Fingerprints.CertificateSha256(recipient);
        return new JsonObject
        {
            ["encryptedData"] = Convert.ToHexStringLower(cipher),
            ["iv"] = Convert.ToHexStringLower(iv),
            ["encryptedKey"] = Convert.ToHexStringLower(wrapped),
            ["publicKeyFingerprint"] = fingerprint,
            ["oaepHashingAlgorithm"] = padding == RSAEncryptionPadding.OaepSHA256 ? "SHA256" : "SHA512",
        };
    }

    /// <summary>
    /// Decrypts an <c>encryptedPayload</c> object sent to MDES. Tolerant where the spec is (contract §1.3, §5):
    /// hex in any case, OAEP SHA-256/SHA-512 or PKCS#1 v1.5 when the digest is absent, absent IV = zero IV,
    /// AES-128/192/256, and any of the three fingerprint spellings of MDES's own key.
    /// </summary>
    public static FleFailure? TryDecrypt(JsonObject envelope, RSA privateKey, IReadOnlySet<string> acceptedFingerprints, out string plaintext)
    {
        plaintext = "";
        foreach (var (name, _) in envelope)
        {
            if (!EnvelopeFields.Contains(name, StringComparer.Ordinal))
            {
                return new("UNRECOGNIZED_FIELD", $"Unrecognized Field - encryptedPayload.{name}");
            }
        }

        foreach (var name in (string[])["encryptedData", "encryptedKey", "publicKeyFingerprint"])
        {
            if (envelope[name] is null)
            {
                return new("MISSING_REQUIRED_FIELD", $"Missing Required Field - encryptedPayload.{name}");
            }
        }

        foreach (var (name, value) in envelope)
        {
            if (value is not JsonValue v || !v.TryGetValue<string>(out _))
            {
                return new("INVALID_FIELD_FORMAT", $"Invalid Field Format - encryptedPayload.{name}");
            }
        }

        var fingerprint = (string)envelope["publicKeyFingerprint"]!;
        if (!acceptedFingerprints.Contains(fingerprint))
        {
            return new("CRYPTOGRAPHY_ERROR", "Cryptography Error");
        }

        RSAEncryptionPadding padding;
        switch (((string?)envelope["oaepHashingAlgorithm"])?.ToUpperInvariant())
        {
            case null:
                padding = RSAEncryptionPadding.Pkcs1;
                break;
            case "SHA256" or "SHA-256":
                padding = RSAEncryptionPadding.OaepSHA256;
                break;
            case "SHA512" or "SHA-512":
                padding = RSAEncryptionPadding.OaepSHA512;
                break;
            default:
                return new("INVALID_FIELD_VALUE", "Invalid Field Value - encryptedPayload.oaepHashingAlgorithm");
        }

        try
        {
            var key = privateKey.Decrypt(Convert.FromHexString((string)envelope["encryptedKey"]!), padding);
            if (key.Length is not (16 or 24 or 32))
            {
                return new("CRYPTOGRAPHY_ERROR", "Cryptography Error");
            }

            var ivHex = (string?)envelope["iv"];
            var iv = ivHex is null ? new byte[16] : Convert.FromHexString(ivHex);
            if (iv.Length != 16)
            {
                return new("CRYPTOGRAPHY_ERROR", "Cryptography Error");
            }

            using var aes = Aes.Create();
            aes.Key = key;
            var clear = aes.DecryptCbc(Convert.FromHexString((string)envelope["encryptedData"]!), iv, PaddingMode.PKCS7);
            plaintext = Encoding.UTF8.GetString(clear);
            return null;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return new("CRYPTOGRAPHY_ERROR", "Cryptography Error");
        }
    }
}
