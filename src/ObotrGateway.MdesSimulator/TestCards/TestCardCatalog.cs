using ObotrGateway.MdesSimulator.Assets;

namespace ObotrGateway.MdesSimulator.TestCards;

internal enum IssuerBehaviour
{
    Approved,
    RequireAdditionalAuthentication,
    Declined,
    Ineligible,
    SlowIssuer,
    IssuerError,
    InvalidPan,
}

internal sealed record TestCardRange(string Prefix, IssuerBehaviour Behaviour, string ProductConfigId, string Description, string ExamplePan);

/// <summary>
/// Deterministic issuer decisions by 11-digit PAN prefix. Whole 11-digit ranges share one behaviour, so a bulk filter
/// on account ranges (e.g. PAN_INELIGIBLE) can be exercised with many distinct PANs.
/// </summary>
internal static class TestCardCatalog
{
    public static readonly IReadOnlyList<TestCardRange> Ranges =
    [
        new("52047300001", IssuerBehaviour.Approved, ProductCatalog.Credit, "APPROVED, combined card art", "5204730000100003"),
        new("52047300002", IssuerBehaviour.RequireAdditionalAuthentication, ProductCatalog.Credit, "REQUIRE_ADDITIONAL_AUTHENTICATION (token still created)", "5204730000200001"),
        new("52047300003", IssuerBehaviour.Declined, ProductCatalog.Credit, "DECLINED (200, no token)", "5204730000300009"),
        new("52047300004", IssuerBehaviour.Ineligible, ProductCatalog.Credit, "error PAN_INELIGIBLE (whole range)", "5204730000400007"),
        new("52047300005", IssuerBehaviour.SlowIssuer, ProductCatalog.Credit, "slow issuer: APPROVED after Simulator:SlowIssuerDelay", "5204730000500004"),
        new("52047300006", IssuerBehaviour.IssuerError, ProductCatalog.Credit, "issuer error: NO_RESPONSE_FROM_ISSUER (HTTP 504)", "5204730000600002"),
        new("52047300007", IssuerBehaviour.Approved, ProductCatalog.CoBranded, "APPROVED, co-branded, NO combined background (separate assets)", "5204730000700000"),
        new("52047300008", IssuerBehaviour.Approved, ProductCatalog.Debit, "APPROVED, debit, PDF brand logo, alternate account id suffix", "5204730000800008"),
    ];

    public static TestCardRange Classify(string pan)
    {
        if (pan.Length is < 12 or > 19 || !Luhn.IsValid(pan))
        {
            return new(pan.Length >= 11 ? pan[..11] : pan, IssuerBehaviour.InvalidPan, ProductCatalog.Credit, "not a Luhn-valid PAN", "");
        }

        foreach (var range in Ranges)
        {
            if (pan.StartsWith(range.Prefix, StringComparison.Ordinal))
            {
                return range;
            }
        }

        return IsMastercard(pan)
            ? new(pan[..11], IssuerBehaviour.Approved, ProductCatalog.Credit, "any other Mastercard PAN", "")
            : new(pan[..11], IssuerBehaviour.Ineligible, ProductCatalog.Credit, "not a Mastercard range", "");
    }

    public static bool IsMastercard(string pan)
    {
        var two = int.Parse(pan.AsSpan(0, 2), provider: System.Globalization.CultureInfo.InvariantCulture);
        var four = int.Parse(pan.AsSpan(0, 4), provider: System.Globalization.CultureInfo.InvariantCulture);
        return two is >= 51 and <= 55 || four is >= 2221 and <= 2720;
    }

    /// <summary>Markdown table used in the OpenAPI description (and mirrored in docs/simulator.md).</summary>
    public static string MarkdownTable()
    {
        var lines = new List<string> { "| 11-digit prefix | Behaviour | Product | Example PAN |", "|---|---|---|---|" };
        lines.AddRange(Ranges.Select(r => $"| {r.Prefix} | {r.Description} | {r.ProductConfigId} | {r.ExamplePan} |"));
        lines.Add("| other 51–55 / 2221–2720 | APPROVED | obotr-credit | — |");
        lines.Add("| any other Luhn-valid PAN | error PAN_INELIGIBLE | — | — |");
        return string.Join('\n', lines);
    }
}
