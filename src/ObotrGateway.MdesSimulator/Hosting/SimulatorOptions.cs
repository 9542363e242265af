namespace ObotrGateway.MdesSimulator.Hosting;

/// <summary>Bound from the <c>Simulator</c> configuration section (env vars use <c>Simulator__Name</c>).</summary>
internal sealed class SimulatorOptions
{
    public const string Section = "Simulator";

    /// <summary>MDES's private key (PEM, PKCS#8 or PKCS#1); requests are encrypted to its certificate.</summary>
    public string DecryptionKeyPath { get; set; } = "";

    /// <summary>MDES's own certificate, used only to compute the fingerprints it accepts.</summary>
    public string EncryptionCertificatePath { get; set; } = "";

    public List<TokenRequestorOptions> TokenRequestors { get; set; } = [];

    public double NtuRetryTimeScale { get; set; } = 1.0;

    /// <summary>MDES's cap per TRID, counted at arrival (0 = off); above it calls get 429.</summary>
    public int TpsLimit { get; set; }

    /// <summary>Caps for single TRIDs (key: 11-digit TRID) that differ from <see cref="TpsLimit"/>.</summary>
    public Dictionary<string, int> TpsLimits { get; set; } = [];

    public int IssuerConsoleTpsLimit { get; set; } = 5;

    public TimeSpan ActivationDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Keys the cryptogram MAC and the card contract ids; generated at start when empty.</summary>
    public string CryptogramSecret { get; set; } = "";

    public TimeSpan CryptogramValidity { get; set; } = TimeSpan.FromHours(24);

    /// <summary><c>SHA512</c> (default, as the C#/Java tutorial) or <c>SHA256</c>: how MDES wraps response keys.</summary>
    public string OaepHashingAlgorithm { get; set; } = "SHA512";

    /// <summary><c>Certificate</c> (SHA-256 of the DER certificate) or <c>PublicKey</c> (SHA-256 of the SPKI).</summary>
    public string FingerprintType { get; set; } = "Certificate";

    public TimeSpan OAuthTimestampWindow { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan SlowIssuerDelay { get; set; } = TimeSpan.FromSeconds(3);

    public TimeSpan NtuTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public int MaxTokens { get; set; } = 100_000;

    public int RequestLogCapacity { get; set; } = 1_000;

    public int NotificationLogCapacity { get; set; } = 1_000;

    public int NotificationQueueCapacity { get; set; } = 10_000;

    /// <summary>Sent as <c>responseHost</c> in responses and NTUs.</summary>
    public string ResponseHost { get; set; } = "sim.mdes.local";

    public FaultOptions Faults { get; set; } = new();
}

internal sealed class TokenRequestorOptions
{
    public string ConsumerKey { get; set; } = "";

    public string SigningCertificatePath { get; set; } = "";

    public string EncryptionCertificatePath { get; set; } = "";

    public string NotificationBaseUrl { get; set; } = "";

    /// <summary>TRIDs this requestor may use; empty means any 11-digit TRID (an OBO requestor serves many merchants).</summary>
    public List<string> TokenRequestorIds { get; set; } = [];
}

/// <summary>Faults active from start; <c>POST /simulator/faults</c> replaces them at run time.</summary>
internal sealed class FaultOptions
{
    public int LatencyMs { get; set; }

    /// <summary>Up to this much more latency, uniformly random per call.</summary>
    public int JitterMs { get; set; }

    /// <summary>Delay before the call arrives (fixed part and random part), as a slow network in front of MDES.</summary>
    public int InboundLatencyMs { get; set; }

    public int InboundJitterMs { get; set; }

    public double ErrorRate { get; set; }

    public bool DropNotifications { get; set; }

    public int NotificationDelayMs { get; set; }
}
