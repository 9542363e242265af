using StackExchange.Redis;

namespace ObotrGateway.Api.Mdes.RateLimiting;

/// <summary>
/// The only code that talks to Redis for the TPS cap (the multiplexer and its RESP2 choice live in
/// Hosting/Redis.cs). One Lua script does read-prune-decide-record atomically, timed by Redis's own clock so that
/// replicas with skewed clocks agree. See ADR 0101 for why this is a sliding window of N slots rather than a
/// continuously refilled bucket.
/// </summary>
internal sealed class RedisMdesTpsStore(IConnectionMultiplexer redis) : IMdesTpsStore
{
    // KEYS[1] sorted set of slot timestamps (µs, Redis time); ARGV: limit, window µs, unique member.
    // Returns {1, now µs} when a slot was taken, {0, µs until the oldest slot leaves the window} otherwise.
    internal const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local limit = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        local used = redis.call('ZCARD', KEYS[1])
        if used < limit then
          redis.call('ZADD', KEYS[1], now, ARGV[3])
          redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
          return {1, now}
        end
        local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        local wait = tonumber(oldest[2]) + window - now
        if wait < 1 then wait = 1 end
        return {0, wait}
        """;

    public async Task<TpsSlot> TryAcquireAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var windowMicroseconds = (long)(window.Ticks / 10);
        var result = await redis.GetDatabase().ScriptEvaluateAsync(
            Script,
            [key],
            [limit, windowMicroseconds, Guid.NewGuid().ToString("N")]);
        var values = (RedisResult[])result!;
        return (long)values[0] == 1
            ? new TpsSlot(true, TimeSpan.Zero, DateTimeOffset.UnixEpoch.AddTicks((long)values[1] * 10))
            : new TpsSlot(false, TimeSpan.FromTicks((long)values[1] * 10));
    }
}
