using System.Text.Json;
using ObotrGateway.Api.Mdes.Encryption;
using ObotrGateway.Api.Mdes.Wire;

namespace ObotrGateway.Api.Mdes;

/// <summary>An inbound NotifyTokenUpdated, decrypted: its requestId and each token update (null where MDES sent null).</summary>
internal sealed record MdesNotification(string? RequestId, IReadOnlyList<NotifiedTokenUpdate?> Tokens);

/// <summary>One token update of an NTU: the gateway's record of it, and the payload as MDES sent it (kept as evidence).</summary>
internal sealed record NotifiedTokenUpdate(MdesTokenState State, string Payload);

/// <summary>Reading NotifyTokenUpdated bodies and the payloads the inbox stored from them: the wire format stays here.</summary>
internal static class MdesNotifications
{
    /// <summary>Why the body is not acceptable JSON (duplicate member, lone surrogate, …), or null.</summary>
    public static string? MalformedJson(ReadOnlySpan<byte> utf8Body) => StrictJson.Problem(utf8Body);

    /// <summary>Decrypts and reads an NTU body; throws <see cref="MdesCryptographyException"/> as <see cref="MdesPayloadCrypto.ReadNotifyTokenUpdated"/>.</summary>
    public static MdesNotification ReadNotification(this MdesPayloadCrypto crypto, ReadOnlySpan<byte> utf8Body)
    {
        var request = crypto.ReadNotifyTokenUpdated(utf8Body);
        var tokens = request.EncryptedPayload?.EncryptedData?.Tokens ?? [];
        return new MdesNotification(request.RequestId,
            [.. tokens.Select(token => token is null ? null : new NotifiedTokenUpdate(MdesClient.StateOf(token), JsonSerializer.Serialize(token, MdesJson.Options)))]);
    }

    /// <summary>A payload <see cref="NotifiedTokenUpdate.Payload"/> stored earlier, as the gateway's record.</summary>
    public static MdesTokenState ReadStoredUpdate(string payload) =>
        MdesClient.StateOf(JsonSerializer.Deserialize<MdesToken>(payload, MdesJson.Options)!);
}
