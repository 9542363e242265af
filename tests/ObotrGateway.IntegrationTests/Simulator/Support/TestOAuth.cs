using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ObotrGateway.IntegrationTests.Simulator.Support;

/// <summary>What a test may break in an otherwise correct OAuth header.</summary>
public sealed record OAuthTamper(
    string? ConsumerKey = null,
    string? Nonce = null,
    long? Timestamp = null,
    string? BodyHash = null,
    RSA? SigningKey = null);

/// <summary>
/// Test-side OAuth 1.0a signer, written from contract §1.2 only (never shared with the simulator or the gateway).
/// </summary>
public static class TestOAuth
{
    public static string Header(string method, Uri uri, byte[] body, string consumerKey, RSA key, OAuthTamper? tamper = null)
    {
        var oauth = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["oauth_body_hash"] = tamper?.BodyHash ?? Convert.ToBase64String(SHA256.HashData(body)),
            ["oauth_consumer_key"] = tamper?.ConsumerKey ?? consumerKey,
            ["oauth_nonce"] = tamper?.Nonce ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            ["oauth_signature_method"] = "RSA-SHA256",
            ["oauth_timestamp"] = (tamper?.Timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString(CultureInfo.InvariantCulture),
            ["oauth_version"] = "1.0",
        };
        var pairs = new List<string>();
        if (uri.Query.Length > 1)
        {
            pairs.AddRange(uri.Query[1..].Split('&').Select(p => p.Split('=')).Select(kv => Pct(Uri.UnescapeDataString(kv[0])) + "=" + Pct(Uri.UnescapeDataString(kv.Length > 1 ? kv[1] : ""))));
        }

        pairs.AddRange(oauth.Select(kv => kv.Key + "=" + kv.Value));
        pairs.Sort(StringComparer.Ordinal);
        var defaultPort = (uri.Scheme == "http" && uri.Port == 80) || (uri.Scheme == "https" && uri.Port == 443);
        var baseUri = uri.Scheme.ToLowerInvariant() + "://" + uri.Host.ToLowerInvariant() + (defaultPort ? "" : ":" + uri.Port.ToString(CultureInfo.InvariantCulture)) + uri.AbsolutePath;
        var baseString = method.ToUpperInvariant() + "&" + Pct(baseUri) + "&" + Pct(string.Join("&", pairs));
        var signature = (tamper?.SigningKey ?? key).SignData(Encoding.UTF8.GetBytes(baseString), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        oauth["oauth_signature"] = Convert.ToBase64String(signature);
        string[] order = ["oauth_consumer_key", "oauth_nonce", "oauth_timestamp", "oauth_signature_method", "oauth_version", "oauth_body_hash", "oauth_signature"];
        return "OAuth " + string.Join(",", order.Select(k => $"{k}=\"{Pct(oauth[k])}\""));
    }

    private static string Pct(string value)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
