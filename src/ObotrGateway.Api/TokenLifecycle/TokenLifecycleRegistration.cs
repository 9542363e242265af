using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.TokenLifecycle;

internal static class TokenLifecycleRegistration
{
    public static IServiceCollection AddTokenLifecycle(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TokenLifecycleOptions>(configuration, TokenLifecycleOptions.Section);
        services.AddScoped<TokenStatusChanges>();
        services.AddSingleton<ArchivedTokenPurge>();
        services.AddHostedService<ArchivedTokenPurgeService>();
        return services;
    }
}
