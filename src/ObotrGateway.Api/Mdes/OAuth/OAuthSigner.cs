using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ObotrGateway.Api.Mdes.Encryption;

namespace ObotrGateway.Api.Mdes.OAuth;

/// <summary>Source of <c>oauth_nonce</c> values; replaced in known-answer tests.</summary>
internal interface IOAuthNonceSource
{
    string NextNonce();
}

/// <summary>8 CSPRNG bytes as 16 lowercase hex characters, the shape Mastercard's signer emits.</summary>
internal sealed class RandomOAuthNonceSource : IOAuthNonceSource
{
    public string NextNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}

/// <summary>
/// OAuth 1.0a with body hash as Mastercard's API gateway verifies it (contract §1.2, oauth1-signer-csharp):
/// RSA-SHA256 over a base string built from the upper-cased method, the normalised URL and the sorted
/// parameters, where the parameter values go into the parameter string un-encoded and the whole string is
/// percent-encoded once.
/// </summary>
internal sealed class OAuthSigner(string consumerKey, RSA signingKey, TimeProvider timeProvider, IOAuthNonceSource nonceSource)
{
    public const string EmptyBodyHash = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

    public OAuthSigner(MdesKeyRing keys, Microsoft.Extensions.Options.IOptions<MdesOptions> options, TimeProvider timeProvider, IOAuthNonceSource nonceSource)
        : this(options.Value.ConsumerKey, keys.SigningKey, timeProvider, nonceSource)
    {
    }

    /// <summary>The <c>Authorization</c> header value for the exact bytes that will be sent.</summary>
    public string CreateAuthorizationHeader(HttpMethod method, Uri uri, ReadOnlySpan<byte> body)
    {
        var oauthParameters = new List<KeyValuePair<string, string>>
        {
            new("oauth_consumer_key", consumerKey),
            new("oauth_nonce", nonceSource.NextNonce()),
            new("oauth_timestamp", timeProvider.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            new("oauth_signature_method", "RSA-SHA256"),
            new("oauth_version", "1.0"),
            new("oauth_body_hash", BodyHash(body)),
        };

        var baseString = SignatureBaseString(method, uri, oauthParameters);
        var signature = Convert.ToBase64String(
            signingKey.SignData(Encoding.UTF8.GetBytes(baseString), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        oauthParameters.Add(new("oauth_signature", signature));

        // The header keeps insertion order, no spaces after commas, as the Mastercard signer writes it.
        return "OAuth " + string.Join(",", oauthParameters.Select(p => $"{p.Key}=\"{PercentEncode(p.Value)}\""));
    }

    public static string BodyHash(ReadOnlySpan<byte> body) => Convert.ToBase64String(SHA256.HashData(body));

    public static string SignatureBaseString(HttpMethod method, Uri uri, IEnumerable<KeyValuePair<string, string>> oauthParameters)
    {
        var parameters = QueryParameters(uri);
        foreach (var parameter in oauthParameters)
        {
            parameters.RemoveAll(p => p.Key == parameter.Key);
            parameters.Add(parameter);
        }

        parameters.Sort(static (a, b) =>
        {
            var byKey = string.CompareOrdinal(a.Key, b.Key);
            return byKey != 0 ? byKey : string.CompareOrdinal(a.Value, b.Value);
        });
        var parameterString = string.Join("&", parameters.Select(p => $"{p.Key}={p.Value}"));

        return method.Method.ToUpperInvariant() + "&" + PercentEncode(NormalizedUrl(uri)) + "&" + PercentEncode(parameterString);
    }

    /// <summary>Lowercase scheme and host, default port dropped, query and fragment removed (RFC 5849 §3.4.1.2).</summary>
    public static string NormalizedUrl(Uri uri)
    {
        var scheme = uri.Scheme.ToLowerInvariant();
        var host = uri.Host.ToLowerInvariant();
        var authority = uri.IsDefaultPort ? host : $"{host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";
        var path = string.IsNullOrEmpty(uri.AbsolutePath) ? "/" : uri.AbsolutePath;
        return $"{scheme}://{authority}{path}";
    }

    /// <summary>RFC 3986 unreserved characters stay; everything else, including <c>! * ' ( )</c>, is %XX (UTF-8).</summary>
    public static string PercentEncode(string value)
    {
        var builder = new StringBuilder(value.Length * 2);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    // Query parameters are decoded then re-encoded so that "a b", "a+b"-style differences cannot change the signature.
    private static List<KeyValuePair<string, string>> QueryParameters(Uri uri)
    {
        var result = new List<KeyValuePair<string, string>>();
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return result;
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            var key = separator < 0 ? pair : pair[..separator];
            var value = separator < 0 ? "" : pair[(separator + 1)..];
            result.Add(new(PercentEncode(Uri.UnescapeDataString(key)), PercentEncode(Uri.UnescapeDataString(value))));
        }

        return result;
    }
}
