using System.Globalization;
using System.Security.Cryptography;

namespace ObotrGateway.MdesSimulator.Tokens;

internal enum RedeemResult
{
    Approved,
    Invalid,
    Expired,
    AlreadyUsed,
}

/// <summary>
/// UCAF cryptograms issued by Transact: 4 hex ATC + 28 hex HMAC(secret, token number | expiry | ATC). The acquirer
/// recomputes the MAC (so a forged or other-token value fails) and the ledger makes each one single-use.
/// </summary>
internal sealed class CryptogramLedger(SimulatorSecret secret, TimeProvider time)
{
    public const int Capacity = 100_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Issued> _issued = new(StringComparer.OrdinalIgnoreCase);
    private readonly Queue<string> _order = new();

    /// <summary>Caller holds the token store lock (the ATC is token state).</summary>
    public string Issue(Token token, string applicationExpiryDate, TimeSpan validity)
    {
        token.ApplicationTransactionCounter = (token.ApplicationTransactionCounter + 1) & 0xFFFF;
        var atc = token.ApplicationTransactionCounter.ToString("X4", CultureInfo.InvariantCulture);
        var cryptogram = atc + Mac(token.TokenNumber, applicationExpiryDate, atc);
        lock (_lock)
        {
            _issued[cryptogram] = new Issued(token.TokenNumber, applicationExpiryDate, time.GetUtcNow() + validity);
            _order.Enqueue(cryptogram);
            while (_order.Count > Capacity && _order.TryDequeue(out var old))
            {
                _issued.Remove(old);
            }
        }

        return cryptogram;
    }

    public RedeemResult Redeem(string cryptogram, string tokenNumber)
    {
        if (cryptogram.Length != 32)
        {
            return RedeemResult.Invalid;
        }

        lock (_lock)
        {
            if (!_issued.TryGetValue(cryptogram, out var issued) || issued.TokenNumber != tokenNumber)
            {
                return RedeemResult.Invalid;
            }

            var expected = Mac(tokenNumber, issued.ApplicationExpiryDate, cryptogram[..4].ToUpperInvariant());
            if (!CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.ASCII.GetBytes(expected), System.Text.Encoding.ASCII.GetBytes(cryptogram[4..].ToUpperInvariant())))
            {
                return RedeemResult.Invalid;
            }

            if (issued.Used)
            {
                return RedeemResult.AlreadyUsed;
            }

            if (time.GetUtcNow() > issued.ValidUntil)
            {
                return RedeemResult.Expired;
            }

            issued.Used = true;
            return RedeemResult.Approved;
        }
    }

    private string Mac(string tokenNumber, string applicationExpiryDate, string atc) =>
        Convert.ToHexString(secret.Mac("ucaf", tokenNumber + "|" + applicationExpiryDate + "|" + atc))[..28];

    private sealed class Issued(string tokenNumber, string applicationExpiryDate, DateTimeOffset validUntil)
    {
        public string TokenNumber { get; } = tokenNumber;

        public string ApplicationExpiryDate { get; } = applicationExpiryDate;

        public DateTimeOffset ValidUntil { get; } = validUntil;

        public bool Used { get; set; }
    }
}
