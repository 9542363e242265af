using System.Text.Json;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.Hosting;
using StackExchange.Redis;

namespace ObotrGateway.Api.Cryptograms;

/// <summary>What Transact gave us for one payment. Secret: held in Redis only encrypted.</summary>
internal sealed record StoredCryptogram(
    string TokenNumber,
    string ApplicationExpiryDate,
    string PanSequenceNumber,
    string Cryptogram)
{
    public override string ToString() => nameof(StoredCryptogram); // token number and cryptogram are secrets
}

/// <summary>
/// Single-use UCAF cryptograms per TUR in Redis. Each entry is AES-GCM encrypted with the TUR as associated
/// data and sits in a sorted set scored by its expiry, so expired entries are dropped and the oldest live one
/// is taken first. Take is one Lua script (remove expired, pop one): two concurrent takers can never get the
/// same entry. Purge bumps a per-TUR generation, and Add only stores when the generation is the one the writer
/// saw before calling Transact, so a refill racing a suspension or redigitization cannot resurrect cryptograms
/// for a token that was just purged.
/// </summary>
internal sealed class CryptogramVault(IConnectionMultiplexer redis, DataProtector protector, IOptions<RedisOptions> redisOptions,
    IOptions<CryptogramOptions> options)
{
    private const string Purpose = "cryptogram-vault";

    private const string AddScript = """
        local gen = redis.call('GET', KEYS[2]) or '0'
        if gen ~= ARGV[1] then return -1 end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
        redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
        return redis.call('ZCARD', KEYS[1])
        """;

    // Pops the oldest live entry and, when the stock left is at most ARGV[1], claims the token's refill (SET NX with a
    // lifetime of ARGV[2] ms): the taker that gets 1 back asks for the one refill; the others see it claimed.
    private const string TakeScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        local first = redis.call('ZRANGE', KEYS[1], 0, 0)
        if #first > 0 then redis.call('ZREM', KEYS[1], first[1]) end
        local claimed = 0
        if redis.call('ZCARD', KEYS[1]) <= tonumber(ARGV[1]) and redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then
            claimed = 1
        end
        return { first[1] or false, claimed }
        """;

    private const string CountScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        return redis.call('ZCARD', KEYS[1])
        """;

    // The generation expires a day after the last purge (no refill runs that long), so purged tokens leave no keys behind.
    private const string PurgeScript = """
        redis.call('DEL', KEYS[1])
        local gen = redis.call('INCR', KEYS[2])
        redis.call('PEXPIRE', KEYS[2], 86400000)
        return gen
        """;

    /// <summary>
    /// How long a refill claim holds when nobody releases it (a lost message, a crashed consumer): after that the next
    /// take claims again. Longer than one refill of up to 20 Transacts under the TPS cap takes.
    /// </summary>
    private const long ClaimLifetimeMilliseconds = 120_000;

    private readonly string _prefix = redisOptions.Value.KeyPrefix;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>The generation to pass to <see cref="AddAsync"/>: read it before calling Transact.</summary>
    public async Task<long> GenerationAsync(string tokenUniqueReference)
    {
        var value = await Db.StringGetAsync(GenerationKey(tokenUniqueReference));
        return value.HasValue ? (long)value : 0;
    }

    /// <summary>Stores a cryptogram; false when the token was purged since <paramref name="generation"/> was read.</summary>
    public async Task<bool> AddAsync(string tokenUniqueReference, long generation, StoredCryptogram cryptogram) =>
        await AddCountingAsync(tokenUniqueReference, generation, cryptogram) is not null;

    /// <summary>Stores a cryptogram and returns the live stock after it; null when the token was purged since <paramref name="generation"/>.</summary>
    public async Task<long?> AddCountingAsync(string tokenUniqueReference, long generation, StoredCryptogram cryptogram)
    {
        var blob = protector.Protect(Purpose, JsonSerializer.SerializeToUtf8Bytes(cryptogram), tokenUniqueReference);
        var ttl = (long)options.Value.TimeToLive.TotalMilliseconds;
        var result = (long)await Db.ScriptEvaluateAsync(AddScript,
            [EntriesKey(tokenUniqueReference), GenerationKey(tokenUniqueReference)],
            [generation.ToString(System.Globalization.CultureInfo.InvariantCulture), ttl, blob]);
        return result >= 0 ? result : null;
    }

    /// <summary>Takes one live cryptogram, exactly once across all replicas; null when none is left.</summary>
    public async Task<StoredCryptogram?> TakeAsync(string tokenUniqueReference) =>
        (await TakeClaimingRefillAsync(tokenUniqueReference, claimBelow: -1)).Cryptogram;

    /// <summary>
    /// Takes one live cryptogram (null when none is left) and, when at most <paramref name="claimBelow"/> stay behind and
    /// no refill of this token is under way, claims its refill: <c>RefillClaimed</c> is then true for exactly this
    /// caller, which asks for the refill; <see cref="ReleaseRefillAsync"/> ends the claim.
    /// </summary>
    public async Task<(StoredCryptogram? Cryptogram, bool RefillClaimed)> TakeClaimingRefillAsync(string tokenUniqueReference, long claimBelow)
    {
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(TakeScript,
            [EntriesKey(tokenUniqueReference), RefillClaimKey(tokenUniqueReference)], [claimBelow, ClaimLifetimeMilliseconds]))!;
        var claimed = (long)result[1] == 1;
        if (result[0].IsNull)
        {
            return (null, claimed);
        }

        var plaintext = protector.Unprotect(Purpose, (byte[])result[0]!, tokenUniqueReference);
        return (plaintext is null ? null : JsonSerializer.Deserialize<StoredCryptogram>(plaintext), claimed);
    }

    /// <summary>Ends a refill claim, so the next take that leaves the stock low asks for a refill again.</summary>
    public async Task ReleaseRefillAsync(string tokenUniqueReference) =>
        await Db.KeyDeleteAsync(RefillClaimKey(tokenUniqueReference));

    public async Task<long> CountAsync(string tokenUniqueReference) =>
        (long)await Db.ScriptEvaluateAsync(CountScript, [EntriesKey(tokenUniqueReference)]);

    /// <summary>Drops every stored cryptogram of a token (suspension, deletion, redigitization).</summary>
    public async Task PurgeAsync(string tokenUniqueReference) =>
        await Db.ScriptEvaluateAsync(PurgeScript, [EntriesKey(tokenUniqueReference), GenerationKey(tokenUniqueReference)]);

    // The {tur} hash tag keeps both keys of a token in one Redis Cluster slot, as the scripts touching both require.
    private RedisKey EntriesKey(string tur) => $"{_prefix}cryptograms:{{{tur}}}";

    private RedisKey GenerationKey(string tur) => $"{_prefix}cryptograms-generation:{{{tur}}}";

    private RedisKey RefillClaimKey(string tur) => $"{_prefix}cryptograms-refill:{{{tur}}}";
}
