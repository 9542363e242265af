using System.Security.Cryptography;
using System.Text;

namespace ObotrGateway.Api.Merchants;

/// <summary>
/// Merchant API keys: 256 random bits, shown once, stored as SHA-256. A fast hash is right here (unlike for
/// passwords) because the key has full entropy; lookups go by hash and the final compare is constant-time.
/// </summary>
internal static class ApiKeys
{
    private const string Prefix = "obk_";

    public static string NewKey() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static bool HashesEqual(byte[] left, byte[] right) => CryptographicOperations.FixedTimeEquals(left, right);

    /// <summary>Cheap shape check so random junk in the header costs no database round trip.</summary>
    public static bool LooksLikeKey(string candidate) => candidate.StartsWith(Prefix, StringComparison.Ordinal) && candidate.Length is > 20 and < 100;

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
