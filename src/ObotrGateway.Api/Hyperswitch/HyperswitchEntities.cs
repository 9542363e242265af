using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ObotrGateway.Api.Hyperswitch;

/// <summary>A merchant's Hyperswitch set-up (PUT /v1/merchant/hyperswitch); the webhook Authorization value is held only encrypted.</summary>
internal sealed class HyperswitchSetup
{
    public Guid MerchantId { get; init; }

    /// <summary>PEM of Hyperswitch's public key (the pair of its <c>private_key</c>): generate answers are encrypted to it.</summary>
    public required string HyperswitchPublicKey { get; set; }

    public required string WebhookUrl { get; set; }
    public required byte[] WebhookAuthorizationProtected { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One of our RSA key pairs for a merchant: Hyperswitch encrypts card data to its public half, named by <see cref="KeyId"/>.</summary>
internal sealed class HyperswitchKey
{
    public required string KeyId { get; init; }
    public Guid MerchantId { get; init; }
    public required string PublicKey { get; init; }
    public required byte[] PrivateKeyProtected { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Set when a rotation replaced this key; it still decrypts until then + Hyperswitch:RetiredKeyLifetime.</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}

/// <summary>
/// A card Hyperswitch had us tokenize. Its <c>cardReference</c> is the gateway token; the expiries are those Hyperswitch
/// holds, in the form it holds them, so webhooks go out only on a real change and compare equal on its side when nothing did.
/// </summary>
internal sealed class HyperswitchCard
{
    public Guid Id { get; init; }
    public Guid MerchantId { get; init; }
    public required string ConsentId { get; init; }
    public required string CustomerId { get; init; }

    /// <summary>Null while the generate that claimed <see cref="ConsentId"/> is still running.</summary>
    public Guid? GatewayTokenId { get; set; }

    public required string CardExpiryMonth { get; set; }
    public required string CardExpiryYear { get; set; }
    public string? TokenExpiryMonth { get; set; }
    public string? TokenExpiryYear { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class HyperswitchSetupConfiguration : IEntityTypeConfiguration<HyperswitchSetup>
{
    public void Configure(EntityTypeBuilder<HyperswitchSetup> builder)
    {
        builder.ToTable("hyperswitch_setups");
        builder.HasKey(setup => setup.MerchantId);
    }
}

internal sealed class HyperswitchKeyConfiguration : IEntityTypeConfiguration<HyperswitchKey>
{
    public void Configure(EntityTypeBuilder<HyperswitchKey> builder)
    {
        builder.ToTable("hyperswitch_keys");
        builder.HasKey(key => key.KeyId);
    }
}

internal sealed class HyperswitchCardConfiguration : IEntityTypeConfiguration<HyperswitchCard>
{
    public void Configure(EntityTypeBuilder<HyperswitchCard> builder)
    {
        builder.ToTable("hyperswitch_cards");
        builder.HasKey(card => card.Id);
        builder.HasIndex(card => new { card.MerchantId, card.ConsentId }).IsUnique();
    }
}
