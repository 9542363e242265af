using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ObotrGateway.Api.Webhooks;

/// <summary>A merchant's webhook endpoint; the signing secrets are held only encrypted.</summary>
internal sealed class MerchantWebhook
{
    public Guid MerchantId { get; init; }
    public required string Url { get; set; }
    public required byte[] SecretProtected { get; set; }

    /// <summary>The secret replaced by the last rotation, still signing deliveries until <see cref="PreviousSecretExpiresAt"/> (ADR 0407).</summary>
    public byte[]? PreviousSecretProtected { get; set; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One merchant event in the transactional outbox; <see cref="Id"/> is the event id merchants dedupe on.</summary>
internal sealed class WebhookOutboxEvent
{
    public Guid Id { get; init; }
    public Guid MerchantId { get; init; }
    public Guid GatewayTokenId { get; init; }
    public long? InboxId { get; init; }
    public required string EventType { get; init; }
    public required string Payload { get; init; }
    public required string State { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

internal static class WebhookEventStates
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
    public const string NoWebhook = "no_webhook";
}

/// <summary>The outcome of one delivery attempt in <c>webhook_deliveries</c> (shown to merchants: stable strings).</summary>
internal static class WebhookDeliveryOutcomes
{
    public const string Delivered = "delivered";
    public const string HttpError = "http_error";
    public const string Timeout = "timeout";
    public const string ConnectionFailed = "connection_failed";

    /// <summary>The host resolved to a loopback, private or otherwise non-public address: refused without connecting.</summary>
    public const string AddressBlocked = "address_blocked";
}

/// <summary>One delivery attempt, as the merchant's delivery log shows it.</summary>
internal sealed class WebhookDelivery
{
    public long Id { get; init; }
    public Guid MerchantId { get; init; }
    public Guid EventId { get; init; }
    public int Attempt { get; init; }
    public required string Url { get; init; }
    public int? HttpStatus { get; init; }
    public required string Outcome { get; init; }
    public int DurationMs { get; init; }
    public DateTimeOffset AttemptedAt { get; init; }
}

internal sealed class MerchantWebhookConfiguration : IEntityTypeConfiguration<MerchantWebhook>
{
    public void Configure(EntityTypeBuilder<MerchantWebhook> builder)
    {
        builder.ToTable("merchant_webhooks");
        builder.HasKey(webhook => webhook.MerchantId);
    }
}

internal sealed class WebhookOutboxEventConfiguration : IEntityTypeConfiguration<WebhookOutboxEvent>
{
    public void Configure(EntityTypeBuilder<WebhookOutboxEvent> builder)
    {
        builder.ToTable("webhook_outbox");
        builder.HasKey(item => item.Id);
        builder.Property(item => item.Payload).HasColumnType("jsonb");
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(delivery => delivery.Id);
        builder.Property(delivery => delivery.Id).ValueGeneratedOnAdd();
    }
}
