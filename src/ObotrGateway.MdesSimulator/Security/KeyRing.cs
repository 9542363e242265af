using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using ObotrGateway.MdesSimulator.Hosting;

namespace ObotrGateway.MdesSimulator.Security;

/// <summary>All key material, loaded once from the paths in <see cref="SimulatorOptions"/> (validated at start).</summary>
internal sealed class KeyRing : IDisposable
{
    private readonly Dictionary<string, TokenRequestor> _requestors;

    public KeyRing(IOptions<SimulatorOptions> options)
    {
        var o = options.Value;
        MdesPrivateKey = PemFiles.LoadPrivateKey(o.DecryptionKeyPath);
        MdesCertificate = PemFiles.LoadCertificate(o.EncryptionCertificatePath);
        AcceptedFingerprints = Fingerprints.AcceptedFor(MdesCertificate);
        _requestors = new Dictionary<string, TokenRequestor>(StringComparer.Ordinal);
        foreach (var r in o.TokenRequestors)
        {
            using var signingCertificate = PemFiles.LoadCertificate(r.SigningCertificatePath);
            _requestors[r.ConsumerKey] = new TokenRequestor(
                r.ConsumerKey,
                signingCertificate.GetRSAPublicKey()!,
                PemFiles.LoadCertificate(r.EncryptionCertificatePath),
                new Uri(r.NotificationBaseUrl, UriKind.Absolute),
                [.. r.TokenRequestorIds]);
        }
    }

    public RSA MdesPrivateKey { get; }

    public X509Certificate2 MdesCertificate { get; }

    public IReadOnlySet<string> AcceptedFingerprints { get; }

    public IEnumerable<TokenRequestor> Requestors => _requestors.Values;

    public TokenRequestor? FindRequestor(string consumerKey) => _requestors.GetValueOrDefault(consumerKey);

    public void Dispose()
    {
        MdesPrivateKey.Dispose();
        MdesCertificate.Dispose();
        foreach (var r in _requestors.Values)
        {
            r.SigningKey.Dispose();
            r.EncryptionCertificate.Dispose();
        }
    }
}
