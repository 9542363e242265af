using System.ComponentModel;
using System.Text.Json;
using ObotrGateway.Api.GatewayTokens;

namespace ObotrGateway.Api.Webhooks;

/// <summary>The body of a <c>token.updated</c> webhook.</summary>
internal sealed record TokenUpdatedEvent(
    [property: Description("Event id: the same event may be delivered more than once; dedupe on this.")] Guid Id,
    [property: Description("Always token.updated.")] string Type,
    [property: Description("When the gateway applied the change.")] DateTimeOffset CreatedAt,
    TokenUpdatedData Data);

internal sealed record TokenUpdatedData(
    string GatewayToken,
    [property: Description("INACTIVE, ACTIVE, SUSPENDED or DEACTIVATED.")] string Status,
    [property: Description("MDES eventReasonCode, e.g. SUSPECTED_FRAUD, REDIGITIZATION_COMPLETE; null when none.")] string? Reason,
    IReadOnlyList<string> SuspendedBy,
    [property: Description("MDES's time of the status change.")] DateTimeOffset? StatusTimestamp,
    string PanSuffix,
    string? TokenPanSuffix,
    string? TokenExpiry,
    [property: Description("notification (MDES NTU), refresh (the gateway read the token at MDES: merchant refresh, activation check, resync) "
        + "or lifecycle (a delete, suspend or unsuspend made through this gateway's API).")] string Source);

/// <summary>Writes merchant events into the outbox on the caller's DbContext, so they commit with the change.</summary>
internal static class TokenUpdatedEvents
{
    public const string Type = "token.updated";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static WebhookOutboxEvent Create(GatewayToken token, string? reason, string source, long? inboxId, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        var body = new TokenUpdatedEvent(id, Type, now, new TokenUpdatedData(token.Token, token.Status, reason, token.SuspendedBy,
            token.StatusTimestamp, token.PanSuffix, token.TokenPanSuffix, token.TokenExpiry, source));
        return new WebhookOutboxEvent
        {
            Id = id,
            MerchantId = token.MerchantId,
            GatewayTokenId = token.Id,
            InboxId = inboxId,
            EventType = Type,
            Payload = JsonSerializer.Serialize(body, JsonOptions),
            State = WebhookEventStates.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
        };
    }
}
