using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ObotrGateway.Api.Mdes.Encryption;

/// <summary>One of our decryption keys and every fingerprint MDES might quote for it.</summary>
internal sealed record MdesDecryptionKey(RSA Key, IReadOnlyList<string> Fingerprints);

/// <summary>
/// All key material of the MDES integration, loaded once at start. Decryption keys are indexed by every
/// fingerprint form MDES might send (contract §5.3 is unresolved), so whichever form MDES uses the right key
/// is found, and several keys can be live during a rotation.
/// </summary>
internal sealed class MdesKeyRing
{
    private readonly Dictionary<string, RSA> _decryptionKeys = new(StringComparer.OrdinalIgnoreCase);

    public MdesKeyRing(
        RSA signingKey,
        X509Certificate2 encryptionCertificate,
        IEnumerable<MdesDecryptionKey> decryptionKeys,
        MdesOaepDigest oaepDigest,
        MdesFingerprintType fingerprintType)
    {
        SigningKey = signingKey;
        EncryptionKey = encryptionCertificate.GetRSAPublicKey()
            ?? throw new CryptographicException("The MDES encryption certificate has no RSA public key.");
        EncryptionKeyFingerprint = MdesFingerprints.For(encryptionCertificate, fingerprintType);
        OaepDigest = oaepDigest;
        foreach (var decryptionKey in decryptionKeys)
        {
            foreach (var fingerprint in decryptionKey.Fingerprints)
            {
                _decryptionKeys.TryAdd(fingerprint, decryptionKey.Key);
            }
        }
    }

    public RSA SigningKey { get; }

    public RSA EncryptionKey { get; }

    public string EncryptionKeyFingerprint { get; }

    public MdesOaepDigest OaepDigest { get; }

    public IEnumerable<string> DecryptionFingerprints => _decryptionKeys.Keys;

    public bool TryGetDecryptionKey(string fingerprint, out RSA key) =>
        _decryptionKeys.TryGetValue(fingerprint, out key!);

    public static MdesDecryptionKey DecryptionKeyFrom(MdesPrivateKey privateKey)
    {
        var fingerprints = new List<string> { MdesFingerprints.OfPublicKey(privateKey.Key) };
        if (privateKey.Certificate is { } certificate)
        {
            fingerprints.Add(MdesFingerprints.OfCertificate(certificate));
            fingerprints.Add(MdesFingerprints.OfCertificateSha1(certificate));
        }

        return new MdesDecryptionKey(privateKey.Key, fingerprints);
    }

    public static MdesKeyRing Load(MdesOptions options)
    {
        var signingKey = MdesKeyLoader.LoadPrivateKeyFile(options.SigningKeyPath, options.SigningKeyPassword).Key;
        var encryptionCertificate = MdesKeyLoader.LoadCertificateFile(options.EncryptionCertificatePath);
        var decryptionKeys = options.DecryptionKeys
            .Select(k => DecryptionKeyFrom(MdesKeyLoader.LoadPrivateKeyFile(k.Path, k.Password, k.CertificatePath)))
            .ToList();
        return new MdesKeyRing(signingKey, encryptionCertificate, decryptionKeys, options.OaepHashingAlgorithm, options.FingerprintType);
    }
}
