using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ObotrGateway.Api.Hosting;

internal static class Redis
{
    /// <summary>
    /// One multiplexer per process. AbortOnConnectFail is off so the gateway boots while Redis is down and
    /// reports itself not ready instead of crashing; the multiplexer reconnects on its own.
    /// </summary>
    public static IServiceCollection AddRedis(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RedisOptions>(configuration, RedisOptions.Section);
        services.AddSingleton<IConnectionMultiplexer>(provider =>
            ConnectionMultiplexer.Connect(Configure(provider.GetRequiredService<IOptions<ConnectionStringsOptions>>().Value.Redis)));
        return services;
    }

    /// <summary>
    /// The client settings, shared with the integration tests so they talk to Redis exactly as the gateway does.
    /// StackExchange.Redis 3.x speaks RESP3 by default; we stay on RESP2 unless the connection string names a
    /// protocol: nothing here uses a RESP3 feature (no pub/sub, no client-side caching), RESP2 is what every
    /// Redis-compatible proxy and managed service understands, and it keeps the reply shapes the Lua scripts
    /// were written against.
    /// </summary>
    public static ConfigurationOptions Configure(string connectionString)
    {
        var configuration = ConfigurationOptions.Parse(connectionString);
        configuration.Protocol ??= RedisProtocol.Resp2;
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = 2000;
        configuration.SyncTimeout = 2000;
        return configuration;
    }
}
