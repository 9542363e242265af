using StackExchange.Redis;

namespace ObotrGateway.IntegrationTests.Mdes;

/// <summary>
/// A real Redis from <see cref="ObotrGateway.IntegrationTests.Infrastructure.TestServices"/> (local or a container). Unreachable Redis fails the
/// tests, always: a skipped limiter test would hide exactly the failure it exists to catch.
/// </summary>
public sealed class RedisFixture : IDisposable
{
    public RedisFixture()
    {
        var connectionString = ObotrGateway.IntegrationTests.Infrastructure.TestServices.Redis;
        Connection = ConnectionMultiplexer.Connect(ObotrGateway.Api.Hosting.Redis.Configure(connectionString));
        if (!Connection.IsConnected)
        {
            var hint = Environment.GetEnvironmentVariable("CI") is null
                ? " Start one (deploy/local/services.sh, or `redis-server --daemonize yes`) or set ConnectionStrings__Redis."
                : " CI is set, so this is a failure, not a skip.";
            throw new InvalidOperationException($"Redis at '{connectionString}' is unreachable.{hint}");
        }

        // One prefix per run keeps parallel runs and earlier leftovers out of each other's windows.
        KeyPrefix = $"it:{Guid.NewGuid():N}:";
    }

    public ConnectionMultiplexer Connection { get; }

    public string KeyPrefix { get; }

    public void Dispose() => Connection.Dispose();
}
