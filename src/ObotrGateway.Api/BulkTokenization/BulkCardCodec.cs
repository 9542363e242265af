using System.Globalization;
using System.Text;
using ObotrGateway.Api.CardData;

namespace ObotrGateway.Api.BulkTokenization;

/// <summary>
/// An item's card at rest: PAN, expiry and name in one AES-256-GCM blob (<see cref="DataProtector"/>, purpose
/// <c>bulk-card</c>), bound to its job and line so a blob copied onto another item does not decrypt.
/// </summary>
internal sealed class BulkCardCodec(DataProtector protector)
{
    private const string Purpose = "bulk-card";
    private const char Separator = '\u001f';

    public byte[] Protect(Guid jobId, long lineNumber, CardInput card) =>
        protector.Protect(Purpose, Encoding.UTF8.GetBytes(string.Join(Separator, card.Pan, card.ExpiryMonth.ToString(CultureInfo.InvariantCulture),
            card.ExpiryYear.ToString(CultureInfo.InvariantCulture), card.CardholderName ?? "")), AssociatedData(jobId, lineNumber));

    /// <summary>Null when the blob cannot be read (retired key, tampering).</summary>
    public CardInput? Unprotect(Guid jobId, long lineNumber, byte[] blob)
    {
        if (protector.Unprotect(Purpose, blob, AssociatedData(jobId, lineNumber)) is not { } plaintext)
        {
            return null;
        }

        var parts = Encoding.UTF8.GetString(plaintext).Split(Separator);
        return new CardInput(parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture), null,
            parts[3].Length == 0 ? null : parts[3], null);
    }

    private static string AssociatedData(Guid jobId, long lineNumber) => $"{jobId:N}/{lineNumber.ToString(CultureInfo.InvariantCulture)}";
}
