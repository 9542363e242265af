using System.Security.Cryptography;
using Jose;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.Hyperswitch;

/// <summary>
/// Our per-merchant RSA key pairs (ADR 1102): generated here, the private half stored only encrypted (DataProtector), the
/// public half and its key id handed to the merchant for Hyperswitch's <c>public_key</c> and <c>key_id</c>. A rotation
/// makes a new current key and retires the old one, which still decrypts for <see cref="HyperswitchOptions.RetiredKeyLifetime"/>.
/// </summary>
internal sealed class HyperswitchKeys(GatewayDbContext db, DataProtector protector, IOptions<HyperswitchOptions> options, TimeProvider clock)
{
    public const string PrivateKeyPurpose = "hyperswitch-private-key";

    /// <summary>RSA-2048: what Hyperswitch's own examples and Juspay use; RSA-OAEP-256 needs nothing larger.</summary>
    private const int KeySize = 2048;

    /// <summary>A new key pair for <paramref name="merchantId"/>, added to the context (the caller saves).</summary>
    public HyperswitchKey Add(Guid merchantId)
    {
        using var rsa = RSA.Create(KeySize);
        var keyId = "hs_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var pkcs8 = rsa.ExportPkcs8PrivateKey();
        try
        {
            var key = new HyperswitchKey
            {
                KeyId = keyId,
                MerchantId = merchantId,
                PublicKey = rsa.ExportSubjectPublicKeyInfoPem(),
                PrivateKeyProtected = protector.Protect(PrivateKeyPurpose, pkcs8, AssociatedData(merchantId, keyId)),
                CreatedAt = clock.GetUtcNow(),
            };
            db.Set<HyperswitchKey>().Add(key);
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>The merchant's keys: the current one first, then retired ones still within their lifetime.</summary>
    public async Task<List<HyperswitchKey>> UsableAsync(Guid merchantId, CancellationToken cancellationToken)
    {
        var keys = await db.Set<HyperswitchKey>().Where(key => key.MerchantId == merchantId).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return [.. keys.Where(key => key.RetiredAt is null || DecryptsUntil(key) > now).OrderBy(key => key.RetiredAt is not null)
            .ThenByDescending(key => key.RetiredAt)];
    }

    /// <summary>When a retired key stops decrypting; null for the current key.</summary>
    public DateTimeOffset? DecryptsUntil(HyperswitchKey key) => key.RetiredAt + options.Value.RetiredKeyLifetime;

    /// <summary>
    /// The private key to decrypt card data sent under <paramref name="keyId"/> (null: the current key), or why there is none.
    /// Another merchant's key id is exactly as unknown as a made-up one.
    /// </summary>
    public async Task<(RSA? Key, string? Refusal)> ForDecryptionAsync(Guid merchantId, string? keyId, CancellationToken cancellationToken)
    {
        var key = await db.Set<HyperswitchKey>().AsNoTracking()
            .Where(candidate => candidate.MerchantId == merchantId && (keyId == null ? candidate.RetiredAt == null : candidate.KeyId == keyId))
            .SingleOrDefaultAsync(cancellationToken);
        if (key is null)
        {
            return (null, HyperswitchErrors.UnknownKeyId);
        }

        if (DecryptsUntil(key) <= clock.GetUtcNow())
        {
            return (null, HyperswitchErrors.KeyRetired);
        }

        var pkcs8 = protector.Unprotect(PrivateKeyPurpose, key.PrivateKeyProtected, AssociatedData(merchantId, key.KeyId));
        if (pkcs8 is null)
        {
            // Written under a DataProtection key that has since been dropped from PreviousKeys: only a rotation mends it.
            return (null, HyperswitchErrors.KeyUnavailable);
        }

        try
        {
            var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
            return (rsa, null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private static string AssociatedData(Guid merchantId, string keyId) => merchantId + "\n" + keyId;
}

/// <summary>
/// The JWE of the generate call (contract §3) through jose-jwt, never by hand: compact serialisation, RSA-OAEP-256 key
/// wrapping, A128GCM content (A256GCM accepted inbound). Nothing here throws on what a caller sent: malformed or tampered
/// input is a null.
/// </summary>
internal static class HyperswitchJwe
{
    /// <summary>The protected header of a compact JWE, or null when it is not one.</summary>
    public static JweHeader? ReadHeader(string compact)
    {
        if (compact.Split('.') is not { Length: 5 })
        {
            return null;
        }

        try
        {
            var headers = JWT.Headers(compact);
            return new JweHeader(Text(headers, "alg"), Text(headers, "enc"), Text(headers, "kid"), headers.ContainsKey("zip"));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return null; // jose-jwt reports bad base64url or JSON with several exception types; all mean "not a JWE"
        }
    }

    /// <summary>The plaintext, or null when the JWE does not decrypt with <paramref name="key"/> (tampered, or for another key).</summary>
    public static byte[]? Decrypt(string compact, RSA key, JweHeader header)
    {
        if (header is not { Alg: "RSA-OAEP-256", Enc: "A128GCM" or "A256GCM", Compressed: false })
        {
            return null;
        }

        try
        {
            return JWT.DecryptBytes(compact, key, JweAlgorithm.RSA_OAEP_256, header.Enc == "A128GCM" ? JweEncryption.A128GCM : JweEncryption.A256GCM);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>A compact JWE of <paramref name="plaintext"/> to Hyperswitch's public key (it decrypts with its <c>private_key</c>).</summary>
    public static string Encrypt(byte[] plaintext, RSA hyperswitchPublicKey) =>
        JWT.EncodeBytes(plaintext, hyperswitchPublicKey, JweAlgorithm.RSA_OAEP_256, JweEncryption.A128GCM,
            extraHeaders: new Dictionary<string, object> { ["typ"] = "JWT" });

    private static string? Text(IDictionary<string, object> headers, string name) =>
        headers.TryGetValue(name, out var value) && value is not null ? value.ToString() : null;
}

internal sealed record JweHeader(string? Alg, string? Enc, string? Kid, bool Compressed);
