using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.Persistence;

internal static class Persistence
{
    public static IServiceCollection AddPersistence(this IServiceCollection services)
    {
        // One data source per process: it owns the connection pool shared by EF Core and raw Npgsql users.
        services.AddSingleton(provider =>
            new NpgsqlDataSourceBuilder(provider.GetRequiredService<IOptions<ConnectionStringsOptions>>().Value.Postgres)
                .Build());
        services.AddDbContextPool<GatewayDbContext>((provider, options) =>
            options.UseNpgsql(provider.GetRequiredService<NpgsqlDataSource>()));
        return services;
    }
}
