using StackExchange.Redis;

namespace ObotrGateway.Api.Mdes.RateLimiting;

/// <summary>
/// The only code that talks to Redis for the TPS cap (the multiplexer and its RESP2 choice live in
/// Hosting/Redis.cs). Two Lua scripts, each atomic and timed by Redis's own clock; only durations, never instants,
/// cross to or from the replicas, so their clocks do not matter. See ADR 0103 for why a slot is held from the grant
/// until one window after the answer (the cap then holds on MDES's clock).
/// </summary>
internal sealed class RedisMdesTpsStore(IConnectionMultiplexer redis) : IMdesTpsStore
{
    // KEYS[1]: slots held (sorted set: slot id → Redis time in µs when it frees); KEYS[2]: interactive callers waiting
    // (waiter id → when it gives up). ARGV: limit, lease µs, window µs, slot id, interactive 1/0, wait budget µs.
    // Returns {1, now µs} when a slot was taken, {0, µs until the soonest moment a slot could free} otherwise.
    internal const string AcquireScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local limit = tonumber(ARGV[1])
        local lease = tonumber(ARGV[2])
        local window = tonumber(ARGV[3])
        local interactive = ARGV[5] == '1'
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
        local free = limit - redis.call('ZCARD', KEYS[1])
        if not interactive then
          free = free - redis.call('ZCARD', KEYS[2])
        end
        if free > 0 then
          redis.call('ZADD', KEYS[1], now + lease, ARGV[4])
          redis.call('PEXPIRE', KEYS[1], math.ceil(lease / 1000) + 1000)
          if interactive then
            redis.call('ZREM', KEYS[2], ARGV[4])
          end
          return {1, now}
        end
        local budget = tonumber(ARGV[6])
        if interactive and budget > 0 then
          redis.call('ZADD', KEYS[2], now + budget, ARGV[4])
          redis.call('PEXPIRE', KEYS[2], math.ceil(budget / 1000) + 1000)
        end
        local soonest = now + window
        local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        if first[2] and tonumber(first[2]) < soonest then
          soonest = tonumber(first[2])
        end
        if not interactive then
          local waiter = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
          if waiter[2] and tonumber(waiter[2]) < soonest then
            soonest = tonumber(waiter[2])
          end
        end
        local wait = soonest - now
        if wait < 1000 then
          wait = 1000
        end
        return {0, wait}
        """;

    // KEYS[1]: slots held; ARGV: slot id, window µs. The slot frees one window from now, unless its lease ends sooner.
    internal const string ReleaseScript = """
        local t = redis.call('TIME')
        local frees = tonumber(t[1]) * 1000000 + tonumber(t[2]) + tonumber(ARGV[2])
        local held = redis.call('ZSCORE', KEYS[1], ARGV[1])
        if held and frees < tonumber(held) then
          redis.call('ZADD', KEYS[1], 'XX', frees, ARGV[1])
        end
        return 1
        """;

    public static string WaitingKey(string key) => key + ":interactive";

    public async Task<TpsSlot> TryAcquireAsync(TpsClaim claim, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var result = await redis.GetDatabase().ScriptEvaluateAsync(
            AcquireScript,
            [claim.Key, WaitingKey(claim.Key)],
            [claim.Limit, Microseconds(claim.Lease), Microseconds(claim.Window), claim.SlotId, claim.Interactive ? 1 : 0, Microseconds(claim.WaitBudget)]);
        var values = (RedisResult[])result!;
        return (long)values[0] == 1
            ? new TpsSlot(true, TimeSpan.Zero, DateTimeOffset.UnixEpoch.AddTicks((long)values[1] * 10))
            : new TpsSlot(false, TimeSpan.FromTicks((long)values[1] * 10));
    }

    public async Task ReleaseAsync(string key, string slotId, TimeSpan window) =>
        await redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [key], [slotId, Microseconds(window)]);

    private static long Microseconds(TimeSpan span) => Math.Max(0, span.Ticks / 10);
}
