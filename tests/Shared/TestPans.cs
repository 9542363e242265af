using System.Security.Cryptography;
using System.Text;

namespace ObotrGateway.Testing;

/// <summary>
/// Fresh Luhn-valid 16-digit PANs for the simulator's ranges (docs/simulator.md): the one generator of the integration
/// tests and the benchmarks (linked into both projects). The Luhn rule is written here again on purpose: a test's card
/// must not depend on the validation it is sent to.
/// </summary>
internal static class TestPans
{
    /// <summary>The simulator approves any 51–55 PAN outside its listed ranges.</summary>
    public const string ApprovedPrefix = "55";

    /// <summary>The simulator's APPROVED test range (5204730000100003 and its siblings).</summary>
    public const string ApprovedRange = "52047300001";

    /// <summary>The simulator's DECLINED range.</summary>
    public const string DeclinedRange = "52047300003";

    /// <summary>The simulator's PAN_INELIGIBLE range.</summary>
    public const string IneligibleRange = "52047300004";

    /// <summary>One random Luhn-valid PAN starting with <paramref name="prefix"/>.</summary>
    public static string Random(string prefix = ApprovedPrefix)
    {
        var body = new StringBuilder(prefix, 16);
        while (body.Length < 15)
        {
            body.Append((char)('0' + RandomNumberGenerator.GetInt32(10)));
        }

        return body.Append(CheckDigit(body.ToString())).ToString();
    }

    /// <summary><paramref name="count"/> distinct PANs starting with <paramref name="prefix"/>, none of <paramref name="avoid"/>.</summary>
    public static List<string> Distinct(string prefix, int count, ISet<string>? avoid = null)
    {
        var pans = new HashSet<string>();
        while (pans.Count < count)
        {
            var pan = Random(prefix);
            if (avoid?.Contains(pan) != true)
            {
                pans.Add(pan);
            }
        }

        return [.. pans];
    }

    private static char CheckDigit(string body)
    {
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var digit = body[body.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
            }

            sum += digit;
        }

        return (char)('0' + (10 - sum % 10) % 10);
    }
}
