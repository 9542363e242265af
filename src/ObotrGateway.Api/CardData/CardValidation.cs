namespace ObotrGateway.Api.CardData;

/// <summary>Checks made before any MDES call: a card that fails here costs nothing and changes nothing.</summary>
internal static class CardValidation
{
    /// <summary>Field → problem, empty when the card is acceptable. Messages never repeat the PAN.</summary>
    public static Dictionary<string, string[]> Validate(string? pan, int? expiryMonth, int? expiryYear, string? securityCode, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(pan) || pan.Length is < 12 or > 19 || !pan.All(char.IsAsciiDigit))
        {
            errors["card.pan"] = ["Digits only, 12 to 19 long."];
        }
        else if (!LuhnValid(pan))
        {
            errors["card.pan"] = ["Fails the Luhn check."];
        }

        if (expiryMonth is not (>= 1 and <= 12))
        {
            errors["card.expiryMonth"] = ["1 to 12."];
        }

        if (expiryYear is null || NormalizeYear(expiryYear.Value) is < 2000 or > 2099)
        {
            errors["card.expiryYear"] = ["Four digits (e.g. 2031) or two (31)."];
        }
        else if (expiryMonth is >= 1 and <= 12 && IsExpired(expiryMonth.Value, NormalizeYear(expiryYear.Value), now))
        {
            errors["card.expiryYear"] = ["The card has expired."];
        }

        if (securityCode is not null && (securityCode.Length is < 3 or > 4 || !securityCode.All(char.IsAsciiDigit)))
        {
            errors["card.securityCode"] = ["3 or 4 digits."];
        }

        return errors;
    }

    public static bool LuhnValid(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var digit = digits[i] - '0';
            if (doubleIt)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

    public static int NormalizeYear(int year) => year < 100 ? 2000 + year : year;

    /// <summary>MM as MDES and the acquirer take it.</summary>
    public static string TwoDigits(int month) => month.ToString("00", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>YY from a two- or four-digit year.</summary>
    public static string TwoDigitYear(int year) => TwoDigits(NormalizeYear(year) % 100);

    // A card is valid through the last day of its expiry month.
    private static bool IsExpired(int month, int year, DateTimeOffset now) => year < now.Year || (year == now.Year && month < now.Month);

    public static string PanSuffix(string pan) => pan[^4..];
}
