using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ObotrGateway.Api.CardData;

/// <summary>
/// AES-256-GCM for secrets at rest. Each purpose ("cryptogram-vault", "idempotency-response", …) gets its
/// own subkey (HKDF), and the caller's associated data (e.g. the TUR) is authenticated, so a blob copied to
/// another token or another purpose fails to decrypt instead of being accepted.
/// Blob layout: version (1) | key id (4) | nonce (12) | tag (16) | ciphertext.
/// </summary>
internal sealed class DataProtector
{
    private const byte Version = 1;
    private const int KeyIdSize = 4;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + KeyIdSize + NonceSize + TagSize;

    private readonly byte[] _activeKey;
    private readonly uint _activeKeyId;
    private readonly FrozenDictionary<uint, byte[]> _keysById;

    public DataProtector(IOptions<DataProtectionOptions> options)
    {
        _activeKey = Convert.FromBase64String(options.Value.Key);
        _activeKeyId = KeyId(_activeKey);
        _keysById = options.Value.PreviousKeys.Select(Convert.FromBase64String).Prepend(_activeKey)
            .DistinctBy(KeyId).ToFrozenDictionary(KeyId);
    }

    public byte[] Protect(string purpose, ReadOnlySpan<byte> plaintext, string associatedData = "")
    {
        var blob = new byte[HeaderSize + plaintext.Length];
        blob[0] = Version;
        BitConverter.TryWriteBytes(blob.AsSpan(1, KeyIdSize), _activeKeyId);
        var nonce = blob.AsSpan(1 + KeyIdSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Subkey(_activeKey, purpose), TagSize);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(HeaderSize), blob.AsSpan(1 + KeyIdSize + NonceSize, TagSize), Aad(purpose, associatedData));
        return blob;
    }

    /// <summary>The plaintext, or null when the blob is not ours, was tampered with, or its key is gone.</summary>
    public byte[]? Unprotect(string purpose, ReadOnlySpan<byte> blob, string associatedData = "")
    {
        if (blob.Length < HeaderSize || blob[0] != Version
            || !_keysById.TryGetValue(BitConverter.ToUInt32(blob.Slice(1, KeyIdSize)), out var key))
        {
            return null;
        }

        var plaintext = new byte[blob.Length - HeaderSize];
        try
        {
            using var aes = new AesGcm(Subkey(key, purpose), TagSize);
            aes.Decrypt(blob.Slice(1 + KeyIdSize, NonceSize), blob[HeaderSize..], blob.Slice(1 + KeyIdSize + NonceSize, TagSize),
                plaintext, Aad(purpose, associatedData));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private static byte[] Subkey(byte[] key, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, salt: [], info: Encoding.UTF8.GetBytes("obotr/" + purpose));

    private static byte[] Aad(string purpose, string associatedData) => Encoding.UTF8.GetBytes(purpose + "\n" + associatedData);

    private static uint KeyId(byte[] key) => BitConverter.ToUInt32(SHA256.HashData(key), 0);
}
