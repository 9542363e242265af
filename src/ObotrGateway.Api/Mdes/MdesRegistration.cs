using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Idempotency;
using ObotrGateway.Api.Mdes.Encryption;
using ObotrGateway.Api.Mdes.OAuth;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Api.Mdes.Resilience;

namespace ObotrGateway.Api.Mdes;

public static class MdesRegistration
{
    /// <summary>
    /// Registers the MDES wire layer: options (validated at start), key material, field-level encryption,
    /// OAuth signing, the resilient <see cref="MdesWireClient"/> behind <see cref="IMdesClient"/> and the per-TRID TPS limiter. Expects a
    /// singleton <c>StackExchange.Redis.IConnectionMultiplexer</c> to be registered by the host.
    /// </summary>
    public static IServiceCollection AddMdes(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<MdesOptions>(configuration, MdesOptions.Section)
            // Read from configuration, not IOptions<RedisOptions>: a malformed Redis prefix must fail once, as Redis's setting.
            .PostConfigure(mdes => mdes.RedisKeyPrefix ??=
                configuration[$"{RedisOptions.Section}:{nameof(RedisOptions.KeyPrefix)}"] ?? new RedisOptions().KeyPrefix);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MdesOptions>, MdesOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IOAuthNonceSource, RandomOAuthNonceSource>();
        services.TryAddSingleton(sp => MdesKeyRing.Load(sp.GetRequiredService<IOptions<MdesOptions>>().Value));
        services.TryAddSingleton<FieldLevelEncryption>();
        services.TryAddSingleton<MdesPayloadCrypto>();
        services.TryAddSingleton<OAuthSigner>(sp => new OAuthSigner(
            sp.GetRequiredService<MdesKeyRing>(),
            sp.GetRequiredService<IOptions<MdesOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOAuthNonceSource>()));
        services.TryAddSingleton<IMdesTpsStore, RedisMdesTpsStore>();
        services.TryAddSingleton<MdesTpsLimiter>();
        services.TryAddSingleton<MdesResiliencePipelines>();
        services.TryAddTransient<MdesResilienceHandler>();
        services.TryAddTransient<OAuthSigningHandler>();

        // Order matters: resilience (and TPS slots) outside, signing inside so every attempt is freshly signed, and the
        // idempotency marker innermost: only a request that is really sent starts the merchant's operation (ADR 0707).
        services.AddHttpClient<MdesWireClient>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler<MdesResilienceHandler>()
            .AddHttpMessageHandler<OAuthSigningHandler>()
            .MarksExecutionStarted();
        services.TryAddTransient<IMdesClient, MdesClient>();
        return services;
    }
}
