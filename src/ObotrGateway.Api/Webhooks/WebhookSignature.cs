using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ObotrGateway.Api.Webhooks;

/// <summary>
/// Deliveries in the Standard Webhooks format (ADR 0407), so merchants verify them with an off-the-shelf library:
/// <c>webhook-id</c> (the event id, the same on every retry), <c>webhook-timestamp</c> (Unix seconds of this attempt)
/// and <c>webhook-signature: v1,base64(HMAC-SHA256(key, id + "." + timestamp + "." + body))</c>, one such entry per
/// active secret, space-separated. The key is the base64-decoded part of the <c>whsec_</c> secret.
/// </summary>
internal static class WebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const string SecretPrefix = "whsec_";

    /// <summary>32 random bytes, standard base64 (with padding) after the prefix: what Standard Webhooks libraries decode.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The HMAC key a secret stands for. A secret issued before ADR 0407 (base64url without padding, 43 characters, which
    /// is never valid standard base64) keeps its old key, the UTF-8 bytes of the whole string, so its receivers verify
    /// with the library's byte-array constructor until they rotate.
    /// </summary>
    public static byte[] KeyOf(string secret)
    {
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        var buffer = new byte[encoded.Length];
        return Convert.TryFromBase64String(encoded, buffer, out var written) && written > 0
            ? buffer[..written]
            : Encoding.UTF8.GetBytes(secret);
    }

    /// <summary>
    /// The <c>webhook-signature</c> value: <c>v1,&lt;base64&gt;</c> for each key, space-separated, in the order given. With
    /// more than one key the first entry is repeated at the end: the .NET StandardWebhooks library (1.1.2) never checks the
    /// last entry of a multi-entry header, so without the repeat a receiver holding the last key would be refused. A repeated
    /// valid signature changes nothing for a verifier that reads every entry (ADR 0407).
    /// </summary>
    public static string Sign(IReadOnlyList<byte[]> keys, string id, long timestamp, string body)
    {
        var signed = Encoding.UTF8.GetBytes(id + "." + timestamp.ToString(CultureInfo.InvariantCulture) + "." + body);
        var entries = keys.Select(key => "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed))).ToList();
        if (entries.Count > 1)
        {
            entries.Add(entries[0]);
        }

        return string.Join(' ', entries);
    }
}
