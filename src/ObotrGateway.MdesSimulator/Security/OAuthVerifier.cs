using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ObotrGateway.MdesSimulator.Hosting;

namespace ObotrGateway.MdesSimulator.Security;

internal sealed record OAuthResult(TokenRequestor? Requestor, string? ReasonCode, string? Description)
{
    public static OAuthResult Fail(string reasonCode, string description) => new(null, reasonCode, description);
}

/// <summary>
/// Verifies Mastercard's OAuth 1.0a profile (contract §1.2): RSA-SHA256 over the signature base string, plus
/// <c>oauth_body_hash</c> over the exact bytes received.
/// </summary>
internal sealed class OAuthVerifier(KeyRing keys, NonceCache nonces, TimeProvider time, IOptions<SimulatorOptions> options)
{
    public const string AuthenticationFailed = "AUTHENTICATION_FAILED";
    public const string InvalidBodyHash = "INVALID_BODY_HASH";
    public const string InvalidClientId = "INVALID_CLIENT_ID";

    private static readonly string[] RequiredParameters =
        ["oauth_consumer_key", "oauth_nonce", "oauth_timestamp", "oauth_signature_method", "oauth_body_hash", "oauth_signature"];

    public OAuthResult Verify(HttpRequest request, byte[] body)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("OAuth ", StringComparison.Ordinal))
        {
            return OAuthResult.Fail(AuthenticationFailed, "OAuth Authorization header missing");
        }

        var parameters = ParseHeader(header["OAuth ".Length..]);
        if (parameters is null)
        {
            return OAuthResult.Fail(AuthenticationFailed, "Malformed OAuth Authorization header");
        }

        foreach (var name in RequiredParameters)
        {
            if (!parameters.ContainsKey(name))
            {
                return OAuthResult.Fail(AuthenticationFailed, $"OAuth parameter {name} missing");
            }
        }

        var requestor = keys.FindRequestor(parameters["oauth_consumer_key"]);
        if (requestor is null)
        {
            return OAuthResult.Fail(InvalidClientId, "Unknown consumer key");
        }

        if (!string.Equals(parameters["oauth_signature_method"], "RSA-SHA256", StringComparison.Ordinal)
            || (parameters.TryGetValue("oauth_version", out var version) && !string.Equals(version, "1.0", StringComparison.Ordinal)))
        {
            return OAuthResult.Fail(AuthenticationFailed, "Unsupported OAuth signature method or version");
        }

        if (!string.Equals(parameters["oauth_body_hash"], Convert.ToBase64String(SHA256.HashData(body)), StringComparison.Ordinal))
        {
            return OAuthResult.Fail(InvalidBodyHash, "oauth_body_hash does not match the request body");
        }

        if (!long.TryParse(parameters["oauth_timestamp"], NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return OAuthResult.Fail(AuthenticationFailed, "oauth_timestamp is not a number");
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var window = (long)options.Value.OAuthTimestampWindow.TotalSeconds;
        if (Math.Abs(now - timestamp) > window)
        {
            return OAuthResult.Fail(AuthenticationFailed, "oauth_timestamp outside the accepted window");
        }

        if (!SignatureValid(request, parameters, requestor))
        {
            return OAuthResult.Fail(AuthenticationFailed, "OAuth signatures did not match");
        }

        // Only a correctly signed request may burn a nonce, so nobody can pre-empt a client's nonces.
        if (!nonces.TryUse(requestor.ConsumerKey, parameters["oauth_nonce"], timestamp, now, window))
        {
            return OAuthResult.Fail(AuthenticationFailed, "oauth_nonce already used");
        }

        return new OAuthResult(requestor, null, null);
    }

    private static bool SignatureValid(HttpRequest request, Dictionary<string, string> parameters, TokenRequestor requestor)
    {
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(parameters["oauth_signature"]);
        }
        catch (FormatException)
        {
            return false;
        }

        var baseUri = BaseUri(request);
        var query = QueryParameters(request.QueryString.Value);
        // Mastercard's signer puts oauth values into the parameter string unencoded; RFC 5849 encodes them.
        // Both are accepted (docs/simulator.md, "tolerant readings").
        foreach (var encodeOAuthValues in (bool[])[false, true])
        {
            var baseString = SignatureBaseString(request.Method, baseUri, query, parameters, encodeOAuthValues);
            if (requestor.SigningKey.VerifyData(Encoding.UTF8.GetBytes(baseString), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return true;
            }
        }

        return false;
    }

    internal static string SignatureBaseString(
        string method,
        string baseUri,
        List<KeyValuePair<string, string>> query,
        IReadOnlyDictionary<string, string> oauth,
        bool encodeOAuthValues)
    {
        var all = new List<KeyValuePair<string, string>>(query);
        foreach (var (key, value) in oauth)
        {
            if (!string.Equals(key, "oauth_signature", StringComparison.Ordinal) && key.StartsWith("oauth_", StringComparison.Ordinal))
            {
                all.Add(new(key, encodeOAuthValues ? Rfc3986.Encode(value) : value));
            }
        }

        all.Sort((a, b) =>
        {
            var byKey = string.CompareOrdinal(a.Key, b.Key);
            return byKey != 0 ? byKey : string.CompareOrdinal(a.Value, b.Value);
        });
        var paramString = string.Join('&', all.Select(p => p.Key + "=" + p.Value));
        return method.ToUpperInvariant() + "&" + Rfc3986.Encode(baseUri) + "&" + Rfc3986.Encode(paramString);
    }

    internal static string BaseUri(HttpRequest request)
    {
        var scheme = request.Scheme.ToLowerInvariant();
        var host = request.Host.Host.ToLowerInvariant();
        var port = request.Host.Port;
        var defaultPort = (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
        var authority = port is null || defaultPort ? host : host + ":" + port.Value.ToString(CultureInfo.InvariantCulture);
        var path = (request.PathBase + request.Path).ToUriComponent();
        return $"{scheme}://{authority}{(path.Length == 0 ? "/" : path)}";
    }

    internal static List<KeyValuePair<string, string>> QueryParameters(string? query)
    {
        var result = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(query))
        {
            return result;
        }

        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            result.Add(new(Rfc3986.Encode(Uri.UnescapeDataString(key)), Rfc3986.Encode(Uri.UnescapeDataString(value))));
        }

        return result;
    }

    internal static Dictionary<string, string>? ParseHeader(string value)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return null;
            }

            var raw = part[(eq + 1)..].Trim();
            if (raw.Length < 2 || raw[0] != '"' || raw[^1] != '"')
            {
                return null;
            }

            if (!result.TryAdd(part[..eq].Trim(), Uri.UnescapeDataString(raw[1..^1])))
            {
                return null;
            }
        }

        return result;
    }
}

internal static class Rfc3986
{
    public static string Encode(string value)
    {
        if (value.Length == 0)
        {
            return value;
        }

        return Uri.EscapeDataString(value)
            .Replace("!", "%21", StringComparison.Ordinal)
            .Replace("*", "%2A", StringComparison.Ordinal)
            .Replace("'", "%27", StringComparison.Ordinal)
            .Replace("(", "%28", StringComparison.Ordinal)
            .Replace(")", "%29", StringComparison.Ordinal);
    }
}
