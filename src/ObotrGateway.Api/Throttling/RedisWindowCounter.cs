using StackExchange.Redis;

namespace ObotrGateway.Api.Throttling;

/// <summary>How many events a key has seen in its current window, and when that window ends.</summary>
internal readonly record struct WindowCount(long Count, TimeSpan ResetsIn);

/// <summary>
/// The only throttling code that talks to Redis (the multiplexer and key prefix of Hosting/Redis.cs). A fixed
/// window per key: the first event starts it, every event counts, the key expires when it ends. One script, so the
/// count and the expiry are set atomically and every replica sees the same count.
/// </summary>
internal sealed class RedisWindowCounter(IConnectionMultiplexer redis, Microsoft.Extensions.Options.IOptions<Hosting.RedisOptions> redisOptions)
{
    // KEYS[1] the counter; ARGV[1] the window in ms. Returns {count, ms until the window ends}. The PTTL check heals a
    // key left without an expiry (a crash between INCR and PEXPIRE cannot happen inside a script, a manual SET can).
    internal const string Script = """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          ttl = tonumber(ARGV[1])
        end
        return {count, ttl}
        """;

    /// <summary>Counts one event for <paramref name="name"/> (prefixed here) in a window of <paramref name="window"/>.</summary>
    public async Task<WindowCount> IncrementAsync(string name, TimeSpan window)
    {
        var result = await redis.GetDatabase().ScriptEvaluateAsync(
            Script,
            [redisOptions.Value.KeyPrefix + "throttle:" + name],
            [(long)Math.Ceiling(window.TotalMilliseconds)]);
        var values = (RedisResult[])result!;
        return new WindowCount((long)values[0], TimeSpan.FromMilliseconds((long)values[1]));
    }
}
