using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ObotrGateway.Api.Merchants;

/// <summary>A merchant we act for at MDES with its own Token Requestor ID.</summary>
internal sealed class Merchant
{
    public Guid Id { get; init; }
    public required string Name { get; set; }
    public required string TokenRequestorId { get; init; }
    public required byte[] ApiKeyHash { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ApiKeyRotatedAt { get; set; }
    public string TokenizeWhileTransacting { get; set; } = TokenizeWhileTransactingModes.Inline;
}

internal static class TokenizeWhileTransactingModes
{
    public const string Inline = "inline";
    public const string AfterAuthorization = "after_authorization";

    public static bool IsValid(string? mode) => mode is Inline or AfterAuthorization;
}

internal sealed class MerchantConfiguration : IEntityTypeConfiguration<Merchant>
{
    public void Configure(EntityTypeBuilder<Merchant> builder)
    {
        builder.ToTable("merchants");
        builder.HasKey(merchant => merchant.Id);
        builder.HasIndex(merchant => merchant.ApiKeyHash).IsUnique();
        builder.HasIndex(merchant => merchant.TokenRequestorId).IsUnique();
    }
}
