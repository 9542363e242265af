namespace ObotrGateway.Api.Payments;

/// <summary>
/// The currencies a payment may be in: ISO 4217's active alphabetic codes (list one), without the fund codes
/// (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW), precious metals, SDR and testing codes (X-codes other than the
/// regional currencies XAF, XCD, XCG, XOF, XPF), none of which a card is ever charged in. Withdrawn codes (HRK,
/// CUC, SLL, ZWL, ANG, …) are absent. Change it here and nowhere else when ISO 4217 amends the list.
/// </summary>
internal static class Currencies
{
    /// <summary>
    /// Upper bound of an amount in minor units: 12 digits, the width of the ISO 8583 amount field (DE 4) that
    /// carries it to the acquirer; anything larger could not be sent as asked.
    /// </summary>
    public const long MaxAmount = 999_999_999_999;

    private static readonly HashSet<string> Active = new(StringComparer.Ordinal)
    {
        "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BHD", "BIF", "BMD", "BND", "BOB", "BRL",
        "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP",
        "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG",
        "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD",
        "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK",
        "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR",
        "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP",
        "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VED", "VES", "VND",
        "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
    };

    public static bool IsActive(string? code) => code is not null && Active.Contains(code);
}
