using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace ObotrGateway.IntegrationTests.Simulator.Support;

/// <summary>Options for building a request payload the way various clients do (contract §1.3, §5).</summary>
public sealed record FleStyle(string? Oaep = "SHA512", int AesBits = 128, bool UpperHex = false, string Fingerprint = "cert-sha256", bool OmitIv = false);

/// <summary>Test-side field-level encryption, written from contract §1.3 only.</summary>
public static class TestFle
{
    public static JsonObject Encrypt(JsonNode clear, X509Certificate2 recipient, FleStyle? style = null) =>
        Encrypt(Encoding.UTF8.GetBytes(clear.ToJsonString()), recipient, style);

    /// <summary>Encrypts bytes as they are, e.g. JSON no JsonNode can hold (duplicate members) for the hostile-input tests.</summary>
    public static JsonObject Encrypt(byte[] clearUtf8, X509Certificate2 recipient, FleStyle? style = null)
    {
        style ??= new FleStyle();
        var key = RandomNumberGenerator.GetBytes(style.AesBits / 8);
        var iv = style.OmitIv ? new byte[16] : RandomNumberGenerator.GetBytes(16);
        using var aes = Aes.Create();
        aes.Key = key;
        var data = aes.EncryptCbc(clearUtf8, iv);
        using var rsa = recipient.GetRSAPublicKey()!;
        var padding = style.Oaep switch
        {
            null => RSAEncryptionPadding.Pkcs1,
            "SHA256" => RSAEncryptionPadding.OaepSHA256,
            _ => RSAEncryptionPadding.OaepSHA512,
        };
        string Hex(byte[] bytes) => style.UpperHex ? Convert.ToHexString(bytes) : Convert.ToHexStringLower(bytes);
        var fingerprint = style.Fingerprint switch
        {
            "spki-sha256" => Convert.ToHexStringLower(SHA256.HashData(recipient.PublicKey.ExportSubjectPublicKeyInfo())),
#pragma warning disable CA5350 // one of the fingerprint spellings MDES documents
            "cert-sha1" => Convert.ToHexStringLower(SHA1.HashData(recipient.RawData)),
#pragma warning restore CA5350
            "cert-sha256" => Convert.ToHexStringLower(SHA256.HashData(recipient.RawData)),
            var other => other,
        };
        var envelope = new JsonObject
        {
            ["encryptedData"] = Hex(data),
            ["encryptedKey"] = Hex(rsa.Encrypt(key, padding)),
            ["publicKeyFingerprint"] = fingerprint,
        };
        if (!style.OmitIv)
        {
            envelope["iv"] = Hex(iv);
        }

        if (style.Oaep is not null)
        {
            envelope["oaepHashingAlgorithm"] = style.Oaep;
        }

        return envelope;
    }

    public static JsonObject Decrypt(JsonObject envelope, RSA privateKey)
    {
        var padding = (string?)envelope["oaepHashingAlgorithm"] == "SHA256" ? RSAEncryptionPadding.OaepSHA256 : RSAEncryptionPadding.OaepSHA512;
        var key = privateKey.Decrypt(Convert.FromHexString((string)envelope["encryptedKey"]!), padding);
        using var aes = Aes.Create();
        aes.Key = key;
        var clear = aes.DecryptCbc(Convert.FromHexString((string)envelope["encryptedData"]!), Convert.FromHexString((string)envelope["iv"]!));
        return JsonNode.Parse(clear)!.AsObject();
    }
}
