using System.Text.Json;
using System.Text.Json.Nodes;
using ObotrGateway.Api.Mdes.Wire;

namespace ObotrGateway.Api.Mdes.Encryption;

/// <summary>
/// Which JSON paths are encrypted for which operation (contract §1.3, the Mastercard tutorial config), and
/// the entry point for inbound NotifyTokenUpdated bodies.
/// </summary>
internal sealed class MdesPayloadCrypto(FieldLevelEncryption fle)
{
    private const string FundingAccountData = "fundingAccountInfo.encryptedPayload.encryptedData";
    private const string FundingAccountPayload = "fundingAccountInfo.encryptedPayload";
    private const string TokenDetail = "tokenDetail";
    private const string TokenDetailData = "tokenDetail.encryptedData";
    private const string EncryptedPayload = "encryptedPayload";
    private const string EncryptedPayloadData = "encryptedPayload.encryptedData";

    public void EncryptRequest(MdesOperation operation, JsonObject body)
    {
        if (operation is MdesOperation.Tokenize or MdesOperation.SearchTokens)
        {
            fle.EncryptPath(body, FundingAccountData, FundingAccountPayload);
        }
    }

    public void DecryptResponse(MdesOperation operation, JsonObject body)
    {
        switch (operation)
        {
            case MdesOperation.Tokenize or MdesOperation.GetToken:
                fle.DecryptPath(body, TokenDetail, TokenDetailData);
                break;
            case MdesOperation.Transact:
                fle.DecryptPath(body, EncryptedPayload, EncryptedPayloadData);
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// Decrypts an inbound NotifyTokenUpdated body: on return <c>encryptedPayload.encryptedData</c> holds the
    /// clear <c>{"tokens":[…]}</c>. Throws <see cref="MdesCryptographyException"/> for anything undecryptable,
    /// including a body that is not a JSON object and one that is not encrypted at all
    /// (<see cref="MdesCryptographyFailure.NotEncrypted"/>): encryption is mandatory on a callback.
    /// </summary>
    public JsonObject DecryptNotifyTokenUpdated(ReadOnlySpan<byte> utf8Body)
    {
        JsonObject body;
        try
        {
            // Strict first: a duplicate member or lone surrogate would otherwise throw later, untyped (a 5xx at the callback).
            body = (StrictJson.Problem(utf8Body) is null ? JsonNode.Parse(utf8Body) as JsonObject : null)
                ?? throw new MdesCryptographyException(MdesCryptographyFailure.InvalidPayloadShape, "$");
        }
        catch (JsonException)
        {
            throw new MdesCryptographyException(MdesCryptographyFailure.InvalidPayloadShape, "$");
        }

        if (body[EncryptedPayload] is not JsonObject)
        {
            throw new MdesCryptographyException(MdesCryptographyFailure.NotEncrypted, EncryptedPayload);
        }

        fle.DecryptPath(body, EncryptedPayload, EncryptedPayloadData, required: true);
        return body;
    }

    /// <summary>Typed form of <see cref="DecryptNotifyTokenUpdated"/>.</summary>
    public NotifyTokenUpdatedRequest ReadNotifyTokenUpdated(ReadOnlySpan<byte> utf8Body)
    {
        var body = DecryptNotifyTokenUpdated(utf8Body);
        try
        {
            return body.Deserialize<NotifyTokenUpdatedRequest>(MdesJson.Options)
                ?? throw new MdesCryptographyException(MdesCryptographyFailure.InvalidPayloadShape, "$");
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            // Wrong types, out-of-range numbers or dates: the clear payload is not an NTU.
            throw new MdesCryptographyException(MdesCryptographyFailure.InvalidPayloadShape, EncryptedPayloadData);
        }
    }
}
