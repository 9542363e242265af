using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ObotrGateway.MdesSimulator.Assets;
using ObotrGateway.MdesSimulator.Hosting;
using ObotrGateway.MdesSimulator.Security;
using ObotrGateway.MdesSimulator.Tokens;

namespace ObotrGateway.MdesSimulator.DigitalEnablement;

/// <summary>What the MDES handlers share, injected as one parameter.</summary>
internal sealed class MdesServices(
    TokenStore store,
    TokenChanges changes,
    KeyRing keys,
    ActivationScheduler activation,
    CryptogramLedger cryptograms,
    SimulatorSecret secret,
    AssetCatalog assets,
    IOptions<SimulatorOptions> options,
    TimeProvider time)
{
    public TokenStore Store { get; } = store;

    public TokenChanges Changes { get; } = changes;

    public KeyRing Keys { get; } = keys;

    public ActivationScheduler Activation { get; } = activation;

    public CryptogramLedger Cryptograms { get; } = cryptograms;

    public SimulatorSecret Secret { get; } = secret;

    public AssetCatalog Assets { get; } = assets;

    public SimulatorOptions Options { get; } = options.Value;

    public TimeProvider Time { get; } = time;

    public JsonObject EncryptFor(TokenRequestor requestor, JsonObject clear) =>
        FieldLevelEncryption.Encrypt(clear.ToJsonString(), requestor.EncryptionCertificate, Options.OaepHashingAlgorithm, Options.FingerprintType);

    /// <summary>Decrypts <c>fundingAccountInfo.encryptedPayload</c> and checks the clear data against <paramref name="shape"/>.</summary>
    public MdesError? DecryptFundingAccount(JsonObject encryptedPayload, RequestShape shape, out JsonObject data)
    {
        data = [];
        const string Path = "fundingAccountInfo.encryptedPayload.encryptedData";
        var failure = FieldLevelEncryption.TryDecrypt(encryptedPayload, Keys.MdesPrivateKey, Keys.AcceptedFingerprints, out var clear);
        if (failure is not null)
        {
            return new MdesError(400, failure.ReasonCode, failure.Description);
        }

        try
        {
            if (JsonNode.Parse(clear) is not JsonObject obj)
            {
                return MdesError.InvalidJson(Path);
            }

            _ = obj.Count;
            data = obj;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            return MdesError.InvalidJson(Path);
        }

        return shape.Validate(data, Path + ".");
    }
}
