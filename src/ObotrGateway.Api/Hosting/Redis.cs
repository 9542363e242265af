using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ObotrGateway.Api.Hosting;

internal static class Redis
{
    /// <summary>
    /// One multiplexer per process. AbortOnConnectFail is off so the gateway boots while Redis is down and
    /// reports itself not ready instead of crashing; the multiplexer reconnects on its own.
    /// </summary>
    public static IServiceCollection AddRedis(this IServiceCollection services)
    {
        services.AddSingleton<IConnectionMultiplexer>(provider =>
        {
            var connectionString = provider.GetRequiredService<IOptions<ConnectionStringsOptions>>().Value.Redis;
            var configuration = ConfigurationOptions.Parse(connectionString);
            configuration.AbortOnConnectFail = false;
            configuration.ConnectTimeout = 2000;
            configuration.SyncTimeout = 2000;
            return ConnectionMultiplexer.Connect(configuration);
        });
        return services;
    }
}
