using Microsoft.Extensions.Options;
using ObotrGateway.Api.Mdes.Encryption;

namespace ObotrGateway.Api.Mdes;

/// <summary>Cross-field checks that stop boot with a message naming the bad setting (files load, URL absolute).</summary>
internal sealed class MdesOptionsValidator(IHostEnvironment? environment = null) : IValidateOptions<MdesOptions>
{
    public ValidateOptionsResult Validate(string? name, MdesOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            failures.Add($"Mdes:BaseUrl must be an absolute http(s) URL, e.g. https://api.mastercard.com/mdes.");
        }
        else if (Hosting.UpstreamTransport.HttpsViolation(environment, baseUrl, options.AllowHttp, "Mdes:BaseUrl", "Mdes:AllowHttp") is { } violation)
        {
            failures.Add(violation);
        }

        if (options.TotalTimeout < options.AttemptTimeout)
        {
            failures.Add("Mdes:TotalTimeout must not be shorter than Mdes:AttemptTimeout.");
        }

        foreach (var (trid, cap) in options.TpsOverrides)
        {
            if (cap < 1)
            {
                failures.Add($"Mdes:TpsOverrides:{trid} must be at least 1.");
            }
        }

        Check(failures, "Mdes:SigningKeyPath", options.SigningKeyPath, path => MdesKeyLoader.LoadPrivateKeyFile(path, options.SigningKeyPassword));
        Check(failures, "Mdes:EncryptionCertificatePath", options.EncryptionCertificatePath, path => MdesKeyLoader.LoadCertificateFile(path));
        for (var i = 0; i < options.DecryptionKeys.Count; i++)
        {
            var key = options.DecryptionKeys[i];
            if (key.CertificatePath is not null && !File.Exists(key.CertificatePath))
            {
                failures.Add($"Mdes:DecryptionKeys:{i}:CertificatePath: file '{key.CertificatePath}' does not exist.");
                continue;
            }

            Check(failures, $"Mdes:DecryptionKeys:{i}:Path", key.Path, path => MdesKeyLoader.LoadPrivateKeyFile(path, key.Password, key.CertificatePath));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string setting, string path, Func<string, object> load)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return; // [Required] reports it.
        }

        if (!File.Exists(path))
        {
            failures.Add($"{setting}: file '{path}' does not exist.");
            return;
        }

        try
        {
            load(path);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            // The exception type only: crypto messages can echo key details and must not reach the boot log.
            failures.Add($"{setting}: '{path}' could not be loaded ({ex.GetType().Name}); check the format and password.");
        }
    }
}
