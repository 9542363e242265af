using System.Text;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.Hosting;
using StackExchange.Redis;

namespace ObotrGateway.Api.BulkTokenization;

internal enum RangeVerdict
{
    /// <summary>MDES answered PAN_INELIGIBLE for this range: skip without a call.</summary>
    Ineligible,

    /// <summary>Call MDES (the range answered before, or this worker now probes it).</summary>
    Call,

    /// <summary>Another worker's call is probing this range right now: try the item again shortly.</summary>
    Wait,
}

/// <summary>
/// The job-scoped view of account ranges (first 11 digits), shared by every worker on every replica through one
/// Redis hash per job: range → ineligible | eligible. A range nobody has answered for is probed by one call at a
/// time (a short SET NX lock), so a 300-card ineligible range costs one call, not one per concurrent worker.
/// Fields are keyed HMACs of the 11 digits, not the digits (ADR 0603). The hash is dropped when the job ends.
/// </summary>
internal sealed class IneligibleRangeFilter(IConnectionMultiplexer redis, IOptions<RedisOptions> redisOptions,
    IOptions<BulkTokenizationOptions> options, PanFingerprint fingerprints)
{
    public const int RangeDigits = 11;
    private const string Ineligible = "ineligible";
    private const string Eligible = "eligible";
    private static readonly TimeSpan ProbeLock = TimeSpan.FromSeconds(30);

    public async Task<RangeVerdict> CheckAsync(Guid jobId, string pan, Guid claimId)
    {
        var database = redis.GetDatabase();
        var range = Range(pan);
        var known = await database.HashGetAsync(Key(jobId), range);
        if (known == Ineligible)
        {
            return RangeVerdict.Ineligible;
        }

        if (known == Eligible)
        {
            return RangeVerdict.Call;
        }

        return await database.StringSetAsync(ProbeKey(jobId, range), claimId.ToString("N"), ProbeLock, When.NotExists)
            ? RangeVerdict.Call
            : RangeVerdict.Wait;
    }

    /// <summary>Records MDES's answer for the card's range and frees the probe.</summary>
    public async Task RecordAsync(Guid jobId, string pan, bool ineligible)
    {
        var database = redis.GetDatabase();
        var range = Range(pan);
        await database.HashSetAsync(Key(jobId), range, ineligible ? Ineligible : Eligible);
        await database.KeyExpireAsync(Key(jobId), options.Value.IneligibleFilterTtl);
        await database.KeyDeleteAsync(ProbeKey(jobId, range));
    }

    /// <summary>No answer (MDES unavailable): let another attempt probe the range.</summary>
    public async Task ReleaseProbeAsync(Guid jobId, string pan) => await redis.GetDatabase().KeyDeleteAsync(ProbeKey(jobId, Range(pan)));

    public async Task DropAsync(Guid jobId) => await redis.GetDatabase().KeyDeleteAsync(Key(jobId));

    private RedisKey Key(Guid jobId) => $"{redisOptions.Value.KeyPrefix}bulk:ranges:{jobId:N}";

    private RedisKey ProbeKey(Guid jobId, string range) => $"{redisOptions.Value.KeyPrefix}bulk:probe:{jobId:N}:{range}";

    private string Range(string pan) =>
        Convert.ToHexStringLower(fingerprints.OfBytes(Encoding.ASCII.GetBytes("range:" + pan[..Math.Min(RangeDigits, pan.Length)])))[..32];
}
