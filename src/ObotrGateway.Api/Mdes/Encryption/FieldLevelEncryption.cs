using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ObotrGateway.Api.Mdes.Wire;

namespace ObotrGateway.Api.Mdes.Encryption;

/// <summary>
/// Mastercard "legacy" field-level encryption, interoperable with client-encryption-csharp's
/// <c>FieldLevelEncryption</c> in hex mode: AES-CBC/PKCS7 under a fresh key, key wrapped with RSA-OAEP
/// (MGF1 with the same digest), fields <c>encryptedData</c>, <c>iv</c>, <c>encryptedKey</c>,
/// <c>publicKeyFingerprint</c>, <c>oaepHashingAlgorithm</c>. Paths are dotted property paths from the root.
/// </summary>
internal sealed class FieldLevelEncryption(MdesKeyRing keys)
{
    public const string EncryptedDataField = "encryptedData";
    public const string IvField = "iv";
    public const string EncryptedKeyField = "encryptedKey";
    public const string FingerprintField = "publicKeyFingerprint";
    public const string DigestField = "oaepHashingAlgorithm";

    // AES-128 is what the Mastercard libraries generate and what MDES requires; 256 is optional there.
    private const int AesKeyBytes = 16;
    private const int IvBytes = 16;

    /// <summary>
    /// Replaces the value at <paramref name="inPath"/> with ciphertext and writes the encryption fields into
    /// the object at <paramref name="outPath"/> (created when missing). A missing in-path is not an error:
    /// e.g. a repeat digitization by PUR has no account data to encrypt.
    /// </summary>
    public void EncryptPath(JsonObject root, string inPath, string outPath)
    {
        var (inParent, inName) = Locate(root, inPath, create: false);
        if (inParent is null || !inParent.TryGetPropertyValue(inName, out var clear) || clear is null)
        {
            return;
        }

        // The libraries serialise compactly (minus \n\r\t); System.Text.Json's default writer never emits them.
        var plaintext = Encoding.UTF8.GetBytes(clear.ToJsonString());
        inParent.Remove(inName);

        var (outParent, outName) = Locate(root, outPath, create: true);
        if (outParent is null)
        {
            throw new MdesCryptographyException(MdesCryptographyFailure.InvalidPayloadShape, outPath);
        }

        if (outParent[outName] is not JsonObject target)
        {
            target = [];
            outParent[outName] = target;
        }

        var encrypted = Encrypt(plaintext, outPath);
        target[EncryptedDataField] = encrypted.EncryptedData;
        target[IvField] = encrypted.Iv;
        target[EncryptedKeyField] = encrypted.EncryptedKey;
        target[FingerprintField] = keys.EncryptionKeyFingerprint;
        target[DigestField] = DigestName(keys.OaepDigest);
    }

    /// <summary>
    /// Reads and removes the encryption fields of the object at <paramref name="inPath"/>, decrypts and puts the
    /// clear JSON at <paramref name="outPath"/>. An absent object or one without <c>encryptedData</c> is left
    /// alone, as the libraries do (e.g. a declined Tokenize has no tokenDetail), unless <paramref name="required"/>:
    /// then it is <see cref="MdesCryptographyFailure.NotEncrypted"/>.
    /// </summary>
    public void DecryptPath(JsonObject root, string inPath, string outPath, bool required = false)
    {
        var (inParent, inName) = Locate(root, inPath, create: false);
        if (inParent is null || !inParent.TryGetPropertyValue(inName, out var inNode) || inNode is null)
        {
            return;
        }

        if (inNode is not JsonObject encryptedObject)
        {
            throw new MdesCryptographyException(MdesCryptographyFailure.InvalidPayloadShape, inPath);
        }

        if (!encryptedObject.TryGetPropertyValue(EncryptedDataField, out var dataNode) || dataNode is null || dataNode is JsonObject)
        {
            // A callback must be encrypted: left alone, a clear "encryptedData" object would be read as if it had been
            // decrypted, from a sender holding no key at all. Responses come over our own call to MDES and keep the
            // libraries' leniency.
            if (required)
            {
                throw new MdesCryptographyException(MdesCryptographyFailure.NotEncrypted, $"{inPath}.{EncryptedDataField}");
            }

            return;
        }

        var fields = new EncryptedFields(
            EncryptedData: RequiredString(encryptedObject, EncryptedDataField, inPath),
            Iv: OptionalString(encryptedObject, IvField, inPath),
            EncryptedKey: RequiredString(encryptedObject, EncryptedKeyField, inPath),
            PublicKeyFingerprint: RequiredString(encryptedObject, FingerprintField, inPath),
            OaepHashingAlgorithm: OptionalString(encryptedObject, DigestField, inPath));

        var clear = ParsePlaintext(Decrypt(fields, inPath), inPath);
        foreach (var field in new[] { EncryptedDataField, IvField, EncryptedKeyField, FingerprintField, DigestField })
        {
            encryptedObject.Remove(field);
        }

        var (outParent, outName) = Locate(root, outPath, create: true);
        if (outParent is null)
        {
            throw new MdesCryptographyException(MdesCryptographyFailure.InvalidPayloadShape, outPath);
        }

        // Merge objects into an existing out-object (as the library's JObject.Merge does); anything else replaces.
        if (clear is JsonObject clearObject && outParent[outName] is JsonObject existing)
        {
            foreach (var property in clearObject.ToList())
            {
                clearObject.Remove(property.Key);
                existing[property.Key] = property.Value;
            }
        }
        else
        {
            outParent[outName] = clear;
        }

        // As the libraries do: an in-object emptied by the decryption (and not reused as the out-object) goes.
        if (encryptedObject.Count == 0 && ReferenceEquals(inParent[inName], encryptedObject))
        {
            inParent.Remove(inName);
        }
    }

    public EncryptedFields Encrypt(ReadOnlySpan<byte> plaintext, string path)
    {
        Span<byte> aesKey = stackalloc byte[AesKeyBytes];
        Span<byte> iv = stackalloc byte[IvBytes];
        RandomNumberGenerator.Fill(aesKey);
        RandomNumberGenerator.Fill(iv);
        try
        {
            using var aes = Aes.Create();
            aes.Key = aesKey.ToArray();
            var ciphertext = aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7);
            var wrappedKey = keys.EncryptionKey.Encrypt(aesKey.ToArray(), Padding(keys.OaepDigest));
            return new EncryptedFields(
                Convert.ToHexStringLower(ciphertext),
                Convert.ToHexStringLower(iv),
                Convert.ToHexStringLower(wrappedKey),
                keys.EncryptionKeyFingerprint,
                DigestName(keys.OaepDigest));
        }
        catch (CryptographicException)
        {
            throw new MdesCryptographyException(MdesCryptographyFailure.EncryptionFailed, path);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(aesKey);
        }
    }

    public byte[] Decrypt(EncryptedFields fields, string path)
    {
        if (!keys.TryGetDecryptionKey(fields.PublicKeyFingerprint, out var privateKey))
        {
            throw new MdesCryptographyException(MdesCryptographyFailure.UnknownFingerprint, path);
        }

        // No oaepHashingAlgorithm: the libraries fall back to the configured digest, the spec says PKCS#1 v1.5; try both.
        RSAEncryptionPadding[] paddings = fields.OaepHashingAlgorithm is null
            ? [Padding(keys.OaepDigest), RSAEncryptionPadding.Pkcs1]
            : [ParseDigest(fields.OaepHashingAlgorithm, path)];
        var ciphertext = FromHex(fields.EncryptedData, path);
        var wrappedKey = FromHex(fields.EncryptedKey, path);
        // The spec says an absent iv means an all-zero IV; the libraries always send one.
        var iv = fields.Iv is null ? new byte[IvBytes] : FromHex(fields.Iv, path);
        if (iv.Length != IvBytes)
        {
            throw new MdesCryptographyException(MdesCryptographyFailure.InvalidEncoding, path);
        }

        var aesKey = Unwrap(privateKey, wrappedKey, paddings)
            ?? throw new MdesCryptographyException(MdesCryptographyFailure.KeyUnwrapFailed, path);

        try
        {
            if (aesKey.Length is not (16 or 24 or 32))
            {
                throw new MdesCryptographyException(MdesCryptographyFailure.UnsupportedAlgorithm, path);
            }

            using var aes = Aes.Create();
            aes.Key = aesKey;
            return aes.DecryptCbc(ciphertext, iv, PaddingMode.PKCS7);
        }
        catch (CryptographicException)
        {
            throw new MdesCryptographyException(MdesCryptographyFailure.DecryptionFailed, path);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(aesKey);
        }
    }

    private static byte[]? Unwrap(RSA privateKey, byte[] wrappedKey, RSAEncryptionPadding[] paddings)
    {
        foreach (var padding in paddings)
        {
            try
            {
                return privateKey.Decrypt(wrappedKey, padding);
            }
            catch (CryptographicException)
            {
                // Try the next padding; the caller reports one typed failure if none fits.
            }
        }

        return null;
    }

    public static string DigestName(MdesOaepDigest digest) => digest == MdesOaepDigest.Sha256 ? "SHA256" : "SHA512";

    private static RSAEncryptionPadding Padding(MdesOaepDigest digest) =>
        digest == MdesOaepDigest.Sha256 ? RSAEncryptionPadding.OaepSHA256 : RSAEncryptionPadding.OaepSHA512;

    // Libraries write "SHA256"/"SHA512"; "SHA-256" is the Java-style config spelling, accepted for tolerance.
    private static RSAEncryptionPadding ParseDigest(string value, string path) => value.Replace("-", "", StringComparison.Ordinal).ToUpperInvariant() switch
    {
        "SHA256" => RSAEncryptionPadding.OaepSHA256,
        "SHA512" => RSAEncryptionPadding.OaepSHA512,
        _ => throw new MdesCryptographyException(MdesCryptographyFailure.UnsupportedAlgorithm, path),
    };

    private static byte[] FromHex(string hex, string path)
    {
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw new MdesCryptographyException(MdesCryptographyFailure.InvalidEncoding, path);
        }
    }

    private static JsonNode? ParsePlaintext(byte[] plaintext, string path)
    {
        try
        {
            // Checked first: a duplicate member or a lone surrogate would otherwise throw later, outside this typed failure.
            return StrictJson.Problem(plaintext) is null
                ? JsonNode.Parse(plaintext)
                : throw new MdesCryptographyException(MdesCryptographyFailure.InvalidPlaintext, path);
        }
        catch (JsonException)
        {
            throw new MdesCryptographyException(MdesCryptographyFailure.InvalidPlaintext, path);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static string RequiredString(JsonObject node, string field, string path) =>
        OptionalString(node, field, path) ?? throw new MdesCryptographyException(MdesCryptographyFailure.MissingField, $"{path}.{field}");

    private static string? OptionalString(JsonObject node, string field, string path)
    {
        if (!node.TryGetPropertyValue(field, out var value) || value is null)
        {
            return null;
        }

        return value is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw new MdesCryptographyException(MdesCryptographyFailure.MissingField, $"{path}.{field}");
    }

    private static (JsonObject? Parent, string Name) Locate(JsonObject root, string path, bool create)
    {
        var segments = path.Split('.');
        var current = root;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (current[segments[i]] is JsonObject child)
            {
                current = child;
            }
            else if (create && current[segments[i]] is null)
            {
                child = [];
                current[segments[i]] = child;
                current = child;
            }
            else
            {
                return (null, segments[^1]);
            }
        }

        return (current, segments[^1]);
    }
}

/// <summary>The five wire fields of one encrypted value (hex strings as on the wire).</summary>
internal sealed record EncryptedFields(
    string EncryptedData,
    string? Iv,
    string EncryptedKey,
    string PublicKeyFingerprint,
    string? OaepHashingAlgorithm);
