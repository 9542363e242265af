using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ObotrGateway.Api.Notifications;

/// <summary>One token update of one NTU, as MDES sent it (decrypted; it holds no PAN or token number).</summary>
internal sealed class NtuInboxEntry
{
    public long Id { get; init; }
    public required string RequestId { get; init; }
    public required string TokenUniqueReference { get; init; }
    public string? TokenRequestorId { get; init; }
    public string? Status { get; init; }
    public string? EventReasonCode { get; init; }
    public DateTimeOffset? StatusTimestamp { get; init; }
    public required string Payload { get; init; }
    public required string State { get; set; }
    public Guid? GatewayTokenId { get; set; }
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset? ProcessedAt { get; set; }
}

internal static class NtuInboxStates
{
    public const string Received = "received";
    public const string Waiting = "waiting";
    public const string Applied = "applied";

    /// <summary>Applied, but our state already said all of it (GetToken got there first): kept as history, no event.</summary>
    public const string Unchanged = "unchanged";
    public const string Stale = "stale";

    /// <summary>Not applied: the NTU names another tokenRequestorId than the token's (or none). Kept as evidence.</summary>
    public const string Rejected = "rejected";
}

internal sealed class NtuInboxEntryConfiguration : IEntityTypeConfiguration<NtuInboxEntry>
{
    public void Configure(EntityTypeBuilder<NtuInboxEntry> builder)
    {
        builder.ToTable("ntu_inbox");
        builder.HasKey(entry => entry.Id);
        builder.Property(entry => entry.Id).ValueGeneratedOnAdd();
        builder.Property(entry => entry.Payload).HasColumnType("jsonb");
    }
}
