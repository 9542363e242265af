using System.ComponentModel.DataAnnotations;

namespace ObotrGateway.Api.Mdes;

/// <summary>Configuration section <c>Mdes</c>; env vars use the <c>Mdes__BaseUrl</c> form.</summary>
internal sealed class MdesOptions
{
    public const string Section = "Mdes";

    /// <summary>E.g. <c>https://api.mastercard.com/mdes</c>; operation paths such as <c>/digitization/static/1/0/tokenize</c> are appended.</summary>
    [Required]
    public string BaseUrl { get; set; } = "";

    /// <summary>Plain http to MDES outside Development (a local simulator only); off, boot refuses an http BaseUrl there.</summary>
    public bool AllowHttp { get; set; }

    [Required]
    public string ConsumerKey { get; set; } = "";

    /// <summary>Our OAuth signing key: .p12/.pfx (with <see cref="SigningKeyPassword"/>) or PEM/DER private key.</summary>
    [Required]
    public string SigningKeyPath { get; set; } = "";

    public string? SigningKeyPassword { get; set; }

    /// <summary>MDES's encryption certificate (PEM or DER); request payloads are encrypted to it.</summary>
    [Required]
    public string EncryptionCertificatePath { get; set; } = "";

    /// <summary>Our private keys for responses and NotifyTokenUpdated; several at once during rotation.</summary>
    [Required, MinLength(1)]
    public List<MdesDecryptionKeyOptions> DecryptionKeys { get; set; } = [];

    public MdesOaepDigest OaepHashingAlgorithm { get; set; } = MdesOaepDigest.Sha512;

    /// <summary>Which fingerprint of MDES's certificate we send as <c>publicKeyFingerprint</c>.</summary>
    public MdesFingerprintType FingerprintType { get; set; } = MdesFingerprintType.Certificate;

    /// <summary>Sent as <c>responseHost</c>; omitted when empty.</summary>
    [StringLength(64, MinimumLength = 11)]
    public string? ResponseHost { get; set; }

    [Range(1, 10_000)]
    public int TpsPerTokenRequestor { get; set; } = 5;

    /// <summary>Per-TRID caps that differ from <see cref="TpsPerTokenRequestor"/> (key: 11-digit TRID).</summary>
    public Dictionary<string, int> TpsOverrides { get; set; } = [];

    /// <summary>
    /// How long an interactive caller may wait for a TPS slot before failing with Retry-After. While it waits, batch
    /// callers leave it the next free slot (ADR 0103).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan InteractiveMaxWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Prefix for the Redis keys of the TPS limiter; lets test runs and environments share one Redis. Unset, it is
    /// <c>Redis:KeyPrefix</c>, so an environment isolated by that one setting does not share TPS windows by accident.
    /// </summary>
    [Required]
    public string? RedisKeyPrefix { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt, for reads and for never-sent requests.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A Retry-After longer than this is not waited out in-process; it is surfaced to the caller instead.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    public bool IsTpsOverridden(string tokenRequestorId, out int cap) => TpsOverrides.TryGetValue(tokenRequestorId, out cap);

    public int TpsFor(string tokenRequestorId) => IsTpsOverridden(tokenRequestorId, out var cap) ? cap : TpsPerTokenRequestor;
}

internal enum MdesOaepDigest
{
    Sha256,
    Sha512,
}

internal enum MdesFingerprintType
{
    Certificate,
    PublicKey,
}
