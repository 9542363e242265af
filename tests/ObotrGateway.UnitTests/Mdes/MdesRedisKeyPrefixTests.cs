using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Mdes;

namespace ObotrGateway.UnitTests.Mdes;

public sealed class MdesRedisKeyPrefixTests
{
    /// <summary>The configured MdesOptions before validation (validation needs key files these tests do not have).</summary>
    private static MdesOptions Configured(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddMdes(configuration);
        using var provider = services.BuildServiceProvider();
        var options = new MdesOptions();
        foreach (var configure in provider.GetServices<IConfigureOptions<MdesOptions>>())
        {
            configure.Configure(options);
        }

        foreach (var postConfigure in provider.GetServices<IPostConfigureOptions<MdesOptions>>())
        {
            postConfigure.PostConfigure(Options.DefaultName, options);
        }

        return options;
    }

    [Fact]
    public void Limiter_prefix_follows_the_redis_key_prefix_when_not_set()
    {
        Configured(new() { ["Redis:KeyPrefix"] = "sandbox:" }).RedisKeyPrefix.ShouldBe("sandbox:");
        Configured([]).RedisKeyPrefix.ShouldBe("obotr:");
    }

    [Fact]
    public void An_explicit_limiter_prefix_wins()
    {
        Configured(new() { ["Redis:KeyPrefix"] = "sandbox:", ["Mdes:RedisKeyPrefix"] = "shared-tps:" }).RedisKeyPrefix.ShouldBe("shared-tps:");
    }
}
