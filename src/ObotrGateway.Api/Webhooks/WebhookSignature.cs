using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ObotrGateway.Api.Webhooks;

/// <summary>
/// How deliveries are signed: <c>Obotr-Signature: v1=hex(HMAC-SHA256(secret, timestamp + "." + body))</c> with
/// the Unix-seconds timestamp in <c>Obotr-Timestamp</c>, so a receiver can reject replays of old deliveries.
/// The key is the secret string's UTF-8 bytes, exactly as shown to the merchant.
/// </summary>
internal static class WebhookSignature
{
    public const string EventIdHeader = "Obotr-Event-Id";
    public const string TimestampHeader = "Obotr-Timestamp";
    public const string SignatureHeader = "Obotr-Signature";
    public const string SecretPrefix = "whsec_";

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Sign(string secret, long timestamp, string body)
    {
        var signed = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + body);
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
