using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ObotrGateway.Api.GatewayTokens;

/// <summary>Our opaque token for a merchant, backed by one MDES token (TUR) under the merchant's TRID.</summary>
internal sealed class GatewayToken
{
    public Guid Id { get; init; }
    public required string Token { get; init; }
    public Guid MerchantId { get; init; }
    public required string TokenRequestorId { get; init; }
    public required string TaskId { get; init; }
    public required string Source { get; init; }
    public required string Status { get; set; }
    public string? Decision { get; set; }
    public string? TokenUniqueReference { get; set; }
    public string? PanUniqueReference { get; set; }
    public List<string> SuspendedBy { get; set; } = [];
    public DateTimeOffset? StatusTimestamp { get; set; }
    public required string PanSuffix { get; set; }
    public required byte[] PanFingerprint { get; init; }
    public string? TokenPanSuffix { get; set; }
    public string? TokenExpiry { get; set; }
    public string? AccountPanExpiry { get; set; }
    public string? ProductCategory { get; set; }
    public string? PaymentAccountReference { get; set; }
    public JsonDocument? ProductConfig { get; set; }
    public bool RestartRecurringSeries { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? ArchivedAt { get; set; }

    /// <summary>Set on a PENDING row whose Tokenize outcome was unknown but whose MDES task completed.</summary>
    public string? Reconciliation { get; set; }
    public DateTimeOffset? ReconciledAt { get; set; }

    /// <summary>Random, never derived from the PAN or the TUR: knowing it reveals nothing about the card.</summary>
    public static string NewToken() =>
        "gt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

internal static class TokenStatuses
{
    public const string Pending = "PENDING";
    public const string Inactive = "INACTIVE";
    public const string Active = "ACTIVE";
    public const string Suspended = "SUSPENDED";
    public const string Deactivated = "DEACTIVATED";
}

internal sealed class GatewayTokenConfiguration : IEntityTypeConfiguration<GatewayToken>
{
    public void Configure(EntityTypeBuilder<GatewayToken> builder)
    {
        builder.ToTable("gateway_tokens");
        builder.HasKey(token => token.Id);
        builder.Property(token => token.Token).HasColumnName("GatewayToken");
        builder.HasIndex(token => token.Token).IsUnique();
        builder.Property(token => token.ProductConfig).HasColumnType("jsonb");
        builder.Property(token => token.SuspendedBy).HasColumnType("text[]");
        // Two writers can meet on one token (an NTU and a merchant call); the loser retries on fresh state.
        builder.Property<uint>("xmin").HasColumnName("xmin").HasColumnType("xid").ValueGeneratedOnAddOrUpdate().IsConcurrencyToken();
    }
}
