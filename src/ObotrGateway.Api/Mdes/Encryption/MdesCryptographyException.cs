namespace ObotrGateway.Api.Mdes.Encryption;

internal enum MdesCryptographyFailure
{
    /// <summary>A required field (<c>encryptedKey</c>, <c>publicKeyFingerprint</c>, …) is absent or not a string.</summary>
    MissingField,

    /// <summary>A field is not valid hex, or the IV has the wrong length.</summary>
    InvalidEncoding,

    /// <summary>No configured decryption key has the payload's <c>publicKeyFingerprint</c>.</summary>
    UnknownFingerprint,

    /// <summary>RSA unwrap of the AES key failed: wrong key, wrong digest or tampered <c>encryptedKey</c>.</summary>
    KeyUnwrapFailed,

    /// <summary>AES-CBC decryption failed (bad padding): wrong key or tampered <c>encryptedData</c>.</summary>
    DecryptionFailed,

    /// <summary>The decrypted bytes are not JSON: tampered data that happened to pad correctly.</summary>
    InvalidPlaintext,

    /// <summary>Unsupported <c>oaepHashingAlgorithm</c> or AES key length.</summary>
    UnsupportedAlgorithm,

    /// <summary>
    /// Where encryption is mandatory (MDES callbacks), the value is not in the encrypted form: no <c>encryptedData</c>,
    /// or one that is a JSON object (clear data posing as decrypted).
    /// </summary>
    NotEncrypted,

    /// <summary>The JSON does not have the shape the operation's encryption paths expect.</summary>
    InvalidPayloadShape,

    /// <summary>Encryption to MDES's certificate failed.</summary>
    EncryptionFailed,
}

/// <summary>
/// Field-level encryption failed. The message names only the failure and the JSON path: never key bytes,
/// ciphertext or plaintext, so it is safe to log and to return as a CRYPTOGRAPHY_ERROR.
/// </summary>
internal sealed class MdesCryptographyException : Exception
{
    public MdesCryptographyException(MdesCryptographyFailure failure, string path)
        : base($"MDES field-level encryption failed at '{path}': {failure}")
    {
        Failure = failure;
        Path = path;
    }

    public MdesCryptographyFailure Failure { get; }

    public string Path { get; }
}
