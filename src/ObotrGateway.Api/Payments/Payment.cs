using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ObotrGateway.Api.Payments;

/// <summary>One authorization attempt at the acquirer, as the merchant sees it.</summary>
internal sealed class Payment
{
    public Guid Id { get; init; }
    public Guid MerchantId { get; init; }
    public Guid? GatewayTokenId { get; set; }
    public long Amount { get; init; }
    public required string Currency { get; init; }
    public required string Recurring { get; init; }
    public required string Status { get; set; }
    public string? DeclineReason { get; set; }
    public bool NetworkTokenUsed { get; set; }
    public string? SecurityLevelIndicator { get; set; }
    public string? AcquirerReference { get; set; }
    public string? TokenizationOutcome { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> builder)
    {
        builder.ToTable("payments");
        builder.HasKey(payment => payment.Id);
    }
}
