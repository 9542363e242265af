using System.Text;
using Microsoft.EntityFrameworkCore;
using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Merchants;
using ObotrGateway.Api.Notifications;
using ObotrGateway.Api.Payments;
using ObotrGateway.Api.Webhooks;

namespace ObotrGateway.Api.Persistence;

/// <summary>
/// The system of record. The schema is owned by the SQL migrations in Persistence/Migrations; this model only
/// maps onto it (never EnsureCreated), with snake_case names so the tables read naturally in psql.
/// </summary>
internal sealed class GatewayDbContext(DbContextOptions<GatewayDbContext> options) : DbContext(options)
{
    public DbSet<Merchant> Merchants => Set<Merchant>();
    public DbSet<GatewayToken> GatewayTokens => Set<GatewayToken>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<NtuInboxEntry> NtuInbox => Set<NtuInboxEntry>();
    public DbSet<MerchantWebhook> MerchantWebhooks => Set<MerchantWebhook>();
    public DbSet<WebhookOutboxEvent> WebhookOutbox => Set<WebhookOutboxEvent>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(GatewayDbContext).Assembly);
        ApplySnakeCaseNames(modelBuilder);
    }

    private static void ApplySnakeCaseNames(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            if (entity.GetTableName() is { } table && entity.GetViewName() is null)
            {
                entity.SetTableName(ToSnakeCase(table));
            }

            foreach (var property in entity.GetProperties().Where(property => property.GetColumnName() != "xmin"))
            {
                property.SetColumnName(ToSnakeCase(property.GetColumnName()));
            }

            foreach (var key in entity.GetKeys())
            {
                key.SetName(ToSnakeCase(key.GetName()!));
            }

            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName(ToSnakeCase(index.GetDatabaseName()!));
            }
        }
    }

    internal static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_' && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
