using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.Cryptograms;
using ObotrGateway.Api.Hosting;
using ObotrGateway.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace ObotrGateway.IntegrationTests.Cryptograms;

public sealed class CryptogramVaultTests : IAsyncLifetime
{
    private ConnectionMultiplexer _redis = null!;
    private readonly string _prefix = $"test:{Guid.NewGuid():N}:";

    public async Task InitializeAsync()
    {
        await TestServices.EnsureReachableAsync();
        _redis = await ConnectionMultiplexer.ConnectAsync(Redis.Configure(TestServices.Redis));
    }

    public Task DisposeAsync()
    {
        _redis.Dispose();
        return Task.CompletedTask;
    }

    private CryptogramVault Vault(TimeSpan? ttl = null) => new(
        _redis,
        new DataProtector(Options.Create(new DataProtectionOptions
        {
            Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            FingerprintKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        })),
        Options.Create(new RedisOptions { KeyPrefix = _prefix }),
        Options.Create(new CryptogramOptions { TimeToLive = ttl ?? TimeSpan.FromMinutes(5) }));

    private static StoredCryptogram Cryptogram(int i) =>
        new("5204731600014821", "311231", "01", $"CRYPTOGRAM{i:D22}");

    [Fact]
    public async Task Fifty_concurrent_takers_each_get_a_different_cryptogram_and_none_is_handed_out_twice()
    {
        var vault = Vault();
        const string tur = "DWSPMC000000000000000000000000000000000000000000001";
        var generation = await vault.GenerationAsync(tur);
        for (var i = 0; i < 30; i++)
        {
            (await vault.AddAsync(tur, generation, Cryptogram(i))).ShouldBeTrue();
        }

        var taken = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => vault.TakeAsync(tur))));

        var values = taken.Where(c => c is not null).Select(c => c!.Cryptogram).ToList();
        values.Count.ShouldBe(30);
        values.Distinct().Count().ShouldBe(30);
        (await vault.CountAsync(tur)).ShouldBe(0);
    }

    [Fact]
    public async Task Refill_claim_goes_to_one_taker_only_once_the_stock_is_low_and_again_after_release()
    {
        var vault = Vault();
        const string tur = "DWSPMC000000000000000000000000000000000000000000007";
        var generation = await vault.GenerationAsync(tur);
        for (var i = 0; i < 20; i++)
        {
            (await vault.AddCountingAsync(tur, generation, Cryptogram(i))).ShouldBe(i + 1);
        }

        // Nine takes leave 11: above the low-water mark of 10, nobody claims.
        for (var i = 0; i < 9; i++)
        {
            (await vault.TakeClaimingRefillAsync(tur, claimBelow: 10)).RefillClaimed.ShouldBeFalse();
        }

        var takes = await Task.WhenAll(Enumerable.Range(0, 11).Select(_ => Task.Run(() => vault.TakeClaimingRefillAsync(tur, claimBelow: 10))));
        takes.Count(t => t.RefillClaimed).ShouldBe(1);
        takes.Count(t => t.Cryptogram is not null).ShouldBe(11);

        var empty = await vault.TakeClaimingRefillAsync(tur, claimBelow: 10);
        empty.Cryptogram.ShouldBeNull();
        empty.RefillClaimed.ShouldBeFalse(); // still claimed by the first

        await vault.ReleaseRefillAsync(tur);
        (await vault.TakeClaimingRefillAsync(tur, claimBelow: 10)).RefillClaimed.ShouldBeTrue();
    }

    [Fact]
    public async Task Redis_holds_only_ciphertext()
    {
        var vault = Vault();
        const string tur = "DWSPMC000000000000000000000000000000000000000000002";
        await vault.AddAsync(tur, await vault.GenerationAsync(tur), Cryptogram(1));

        var raw = await _redis.GetDatabase().SortedSetRangeByRankAsync($"{_prefix}cryptograms:{{{tur}}}");

        raw.Length.ShouldBe(1);
        System.Text.Encoding.Latin1.GetString((byte[])raw[0]!).ShouldNotContain("5204731600014821");
        System.Text.Encoding.Latin1.GetString((byte[])raw[0]!).ShouldNotContain("CRYPTOGRAM");
    }

    [Fact]
    public async Task Purge_drops_everything_and_a_refill_that_started_before_it_is_refused()
    {
        var vault = Vault();
        const string tur = "DWSPMC000000000000000000000000000000000000000000003";
        var before = await vault.GenerationAsync(tur);
        await vault.AddAsync(tur, before, Cryptogram(1));

        await vault.PurgeAsync(tur);

        (await vault.TakeAsync(tur)).ShouldBeNull();
        (await vault.AddAsync(tur, before, Cryptogram(2))).ShouldBeFalse();
        (await vault.AddAsync(tur, await vault.GenerationAsync(tur), Cryptogram(3))).ShouldBeTrue();
    }

    [Fact]
    public async Task Expired_cryptograms_are_never_taken()
    {
        var vault = Vault(TimeSpan.FromMilliseconds(300));
        const string tur = "DWSPMC000000000000000000000000000000000000000000004";
        await vault.AddAsync(tur, await vault.GenerationAsync(tur), Cryptogram(1));

        await Task.Delay(600);

        (await vault.TakeAsync(tur)).ShouldBeNull();
    }

    [Fact]
    public async Task A_cryptogram_stored_for_one_token_cannot_be_read_as_another_tokens()
    {
        var vault = Vault();
        const string tur = "DWSPMC000000000000000000000000000000000000000000005";
        const string other = "DWSPMC000000000000000000000000000000000000000000006";
        await vault.AddAsync(tur, 0, Cryptogram(1));
        var db = _redis.GetDatabase();
        var raw = (await db.SortedSetRangeByRankAsync($"{_prefix}cryptograms:{{{tur}}}"))[0];
        await db.SortedSetAddAsync($"{_prefix}cryptograms:{{{other}}}", raw, DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds());

        (await vault.TakeAsync(other)).ShouldBeNull();
    }
}
