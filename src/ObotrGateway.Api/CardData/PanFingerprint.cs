using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ObotrGateway.Api.CardData;

/// <summary>
/// Keyed HMAC-SHA256 of a PAN: lets us find "the same card" without storing the PAN or an unkeyed hash
/// (which a PAN's small search space would let anyone reverse).
/// </summary>
internal sealed class PanFingerprint(IOptions<DataProtectionOptions> options)
{
    private readonly byte[] _key = Convert.FromBase64String(options.Value.FingerprintKey);

    public byte[] Of(string pan) => HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(pan));

    /// <summary>Keyed fingerprint of arbitrary bytes (e.g. an idempotent request body that may hold a PAN).</summary>
    public byte[] OfBytes(ReadOnlySpan<byte> data) => HMACSHA256.HashData(_key, data);
}
