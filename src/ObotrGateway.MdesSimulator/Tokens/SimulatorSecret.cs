using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ObotrGateway.MdesSimulator.Hosting;

namespace ObotrGateway.MdesSimulator.Tokens;

/// <summary>
/// The simulator secret keys cryptograms (so the acquirer can verify them) and derives opaque per-PAN identifiers
/// (PAR, PUR, card contract id) that never reveal the PAN.
/// </summary>
internal sealed class SimulatorSecret
{
    private const string Alphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private readonly byte[] _key;

    public SimulatorSecret(IOptions<SimulatorOptions> options)
    {
        var configured = options.Value.CryptogramSecret;
        _key = configured.Length > 0 ? Encoding.UTF8.GetBytes(configured) : RandomNumberGenerator.GetBytes(32);
    }

    public byte[] Mac(string label, string value) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(label + "|" + value));

    /// <summary>29-character PAR: "5001" + 25 alphanumerics, stable per funding account.</summary>
    public string PaymentAccountReference(string pan)
    {
        var mac = Mac("par", pan);
        var chars = new char[25];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphanumeric[mac[i] % Alphanumeric.Length];
        }

        return "5001" + new string(chars);
    }

    public string PanUniqueReference(string pan) => "FWSPMC" + Convert.ToHexStringLower(Mac("pur", pan))[..42];

    public string CardContractId(string pan) => "cc-" + Convert.ToHexStringLower(Mac("card", pan))[..24];
}
