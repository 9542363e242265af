using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using ObotrGateway.MdesSimulator.Security;

namespace ObotrGateway.MdesSimulator.Hosting;

/// <summary>Fails the boot with the name of the offending setting, rather than the first request failing later.</summary>
internal sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var errors = new List<string>();
        var mdesKey = PrivateKey(errors, "Simulator:DecryptionKeyPath", options.DecryptionKeyPath);
        var mdesCertificate = Certificate(errors, "Simulator:EncryptionCertificatePath", options.EncryptionCertificatePath);
        if (mdesKey is not null && mdesCertificate is not null && !PemFiles.SameKey(mdesKey, mdesCertificate))
        {
            errors.Add("Simulator:EncryptionCertificatePath does not hold the public half of Simulator:DecryptionKeyPath");
        }

        mdesKey?.Dispose();
        mdesCertificate?.Dispose();

        if (options.TokenRequestors.Count == 0)
        {
            errors.Add("Simulator:TokenRequestors:0:ConsumerKey is required (at least one token requestor)");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.TokenRequestors.Count; i++)
        {
            var r = options.TokenRequestors[i];
            var prefix = $"Simulator:TokenRequestors:{i}:";
            if (string.IsNullOrWhiteSpace(r.ConsumerKey))
            {
                errors.Add(prefix + "ConsumerKey is required");
            }
            else if (!seen.Add(r.ConsumerKey))
            {
                errors.Add(prefix + "ConsumerKey duplicates another token requestor");
            }

            Certificate(errors, prefix + "SigningCertificatePath", r.SigningCertificatePath)?.Dispose();
            Certificate(errors, prefix + "EncryptionCertificatePath", r.EncryptionCertificatePath)?.Dispose();
            if (!Uri.TryCreate(r.NotificationBaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                errors.Add(prefix + "NotificationBaseUrl must be an absolute http(s) URL");
            }

            for (var j = 0; j < r.TokenRequestorIds.Count; j++)
            {
                if (r.TokenRequestorIds[j] is not { Length: 11 } trid || !trid.All(char.IsAsciiDigit))
                {
                    errors.Add($"{prefix}TokenRequestorIds:{j} must be exactly 11 digits");
                }
            }
        }

        if (options.NtuRetryTimeScale is <= 0 or > 1000)
        {
            errors.Add("Simulator:NtuRetryTimeScale must be greater than 0 (e.g. 0.001)");
        }

        if (options.TpsLimit < 0 || options.TpsLimits.Values.Any(cap => cap < 0))
        {
            errors.Add("Simulator:TpsLimit and Simulator:TpsLimits must be 0 (off) or positive");
        }

        if (options.Faults.LatencyMs < 0 || options.Faults.JitterMs < 0 || options.Faults.InboundLatencyMs < 0 || options.Faults.InboundJitterMs < 0)
        {
            errors.Add("Simulator:Faults latencies and jitters must not be negative");
        }

        if (options.IssuerConsoleTpsLimit < 0)
        {
            errors.Add("Simulator:IssuerConsoleTpsLimit must be 0 (off) or positive");
        }

        if (options.ActivationDelay < TimeSpan.Zero)
        {
            errors.Add("Simulator:ActivationDelay must not be negative");
        }

        if (options.OaepHashingAlgorithm is not ("SHA256" or "SHA512"))
        {
            errors.Add("Simulator:OaepHashingAlgorithm must be SHA256 or SHA512");
        }

        if (options.FingerprintType is not ("Certificate" or "PublicKey"))
        {
            errors.Add("Simulator:FingerprintType must be Certificate or PublicKey");
        }

        if (options.MaxTokens < 1 || options.RequestLogCapacity < 1 || options.NotificationLogCapacity < 1 || options.NotificationQueueCapacity < 1)
        {
            errors.Add("Simulator:MaxTokens, RequestLogCapacity, NotificationLogCapacity and NotificationQueueCapacity must be positive");
        }

        if (options.ResponseHost.Length is < 11 or > 64)
        {
            errors.Add("Simulator:ResponseHost must be 11-64 characters");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static RSA? PrivateKey(List<string> errors, string setting, string path)
    {
        if (!Exists(errors, setting, path))
        {
            return null;
        }

        try
        {
            return PemFiles.LoadPrivateKey(path);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException or IOException)
        {
            errors.Add($"{setting}: '{path}' is not an RSA private key in PEM (PKCS#8 or PKCS#1)");
            return null;
        }
    }

    private static X509Certificate2? Certificate(List<string> errors, string setting, string path)
    {
        if (!Exists(errors, setting, path))
        {
            return null;
        }

        try
        {
            var certificate = PemFiles.LoadCertificate(path);
            if (certificate.GetRSAPublicKey() is not { } rsa)
            {
                errors.Add($"{setting}: '{path}' is not an RSA certificate");
                certificate.Dispose();
                return null;
            }

            rsa.Dispose();
            return certificate;
        }
        catch (Exception ex) when (ex is CryptographicException or IOException)
        {
            errors.Add($"{setting}: '{path}' is not an X.509 certificate (PEM or DER)");
            return null;
        }
    }

    private static bool Exists(List<string> errors, string setting, string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            errors.Add($"{setting} is required");
            return false;
        }

        if (!File.Exists(path))
        {
            errors.Add($"{setting}: file '{path}' not found");
            return false;
        }

        return true;
    }
}
