using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.IntegrationTests.Notifications;

namespace ObotrGateway.IntegrationTests.Webhooks;

/// <summary>Outbox, delivery-log and inbox rows written straight into a database, with the ages and states a test needs.</summary>
internal static class WebhookRows
{
    /// <summary>
    /// A token.updated event as TokenStateStore writes it, then moved to <paramref name="state"/>; due for the dispatcher at
    /// <paramref name="nextAttemptAt"/> (default: when created).
    /// </summary>
    public static async Task<Guid> InsertEventAsync(this TestDatabase database, Guid merchantId, Guid gatewayTokenId, string state,
        DateTimeOffset createdAt, long? inboxId = null, DateTimeOffset? nextAttemptAt = null)
    {
        var id = Guid.CreateVersion7(createdAt);
        (await database.ScalarAsync("""
            INSERT INTO webhook_outbox (id, merchant_id, gateway_token_id, inbox_id, event_type, payload, state, attempts, created_at,
                                        next_attempt_at, delivered_at)
            VALUES ($1, $2, $3, $4, 'token.updated', '{}', $5, 0, $6, $7, CASE WHEN $5 = 'delivered' THEN $6 END)
            RETURNING 1
            """, id, merchantId, gatewayTokenId, (object?)inboxId ?? DBNull.Value, state, createdAt, nextAttemptAt ?? createdAt)).ShouldBe(1);
        return id;
    }

    public static async Task<long> InsertDeliveryAsync(this TestDatabase database, Guid merchantId, Guid eventId, DateTimeOffset attemptedAt) =>
        await database.ScalarAsync("""
            INSERT INTO webhook_deliveries (merchant_id, event_id, attempt, url, http_status, outcome, duration_ms, attempted_at)
            VALUES ($1, $2, 1, 'https://merchant.example/hooks', 200, 'delivered', 5, $3)
            RETURNING id
            """, merchantId, eventId, attemptedAt);

    /// <summary>An NTU inbox row; <paramref name="processedAt"/> is null for rows still received or waiting.</summary>
    public static async Task<long> InsertInboxAsync(this TestDatabase database, string tur, string trid, string state, Guid? gatewayTokenId,
        DateTimeOffset receivedAt, DateTimeOffset? processedAt) =>
        await database.ScalarAsync("""
            INSERT INTO ntu_inbox (request_id, token_unique_reference, token_requestor_id, status, payload, state, gateway_token_id,
                                   received_at, processed_at)
            VALUES ($1, $2, $3, 'ACTIVE', '{}', $4, $5, $6, $7)
            RETURNING id
            """, "req-" + Guid.NewGuid().ToString("N")[..12], tur, trid, state, (object?)gatewayTokenId ?? DBNull.Value, receivedAt,
            (object?)processedAt ?? DBNull.Value);
}
