using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ObotrGateway.MdesSimulator.Security;

/// <summary>One configured token requestor (an OBO gateway): how it signs, where its NTUs go, which TRIDs it may use.</summary>
internal sealed class TokenRequestor(
    string consumerKey,
    RSA signingKey,
    X509Certificate2 encryptionCertificate,
    Uri notificationBaseUrl,
    IReadOnlyCollection<string> tokenRequestorIds)
{
    public string ConsumerKey { get; } = consumerKey;

    public RSA SigningKey { get; } = signingKey;

    public X509Certificate2 EncryptionCertificate { get; } = encryptionCertificate;

    public Uri NotificationBaseUrl { get; } = notificationBaseUrl;

    public IReadOnlyCollection<string> TokenRequestorIds { get; } = tokenRequestorIds;

    /// <summary>Short, stable, non-secret handle for logs (the consumer key itself is a credential identifier).</summary>
    public string LogId { get; } = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(consumerKey)))[..12];

    // An empty list models an OBO requestor that may act for any merchant TRID.
    public bool MayUse(string tokenRequestorId) =>
        TokenRequestorIds.Count == 0 || TokenRequestorIds.Contains(tokenRequestorId);
}
