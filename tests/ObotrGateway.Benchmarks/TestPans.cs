using System.Security.Cryptography;
using System.Text;

namespace ObotrGateway.Benchmarks;

/// <summary>Cards the MDES simulator tokenizes.</summary>
internal static class TestPans
{
    /// <summary>A random Luhn-valid PAN in the simulator's "any other 51–55 range approves" space.</summary>
    public static string Approved()
    {
        var digits = new StringBuilder("55");
        while (digits.Length < 15)
        {
            digits.Append((char)('0' + RandomNumberGenerator.GetInt32(10)));
        }

        var sum = 0;
        for (var i = 0; i < 15; i++)
        {
            var digit = digits[14 - i] - '0';
            if (i % 2 == 0)
            {
                digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
            }

            sum += digit;
        }

        return digits.Append((char)('0' + (10 - sum % 10) % 10)).ToString();
    }
}
