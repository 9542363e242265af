using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.GatewayTokens;

internal static class GatewayTokenRegistration
{
    public static IServiceCollection AddGatewayTokens(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<GatewayTokenOptions>(configuration, GatewayTokenOptions.Section);
        services.AddSingleton<PendingTokenReconciler>();
        services.AddHostedService(provider => provider.GetRequiredService<PendingTokenReconciler>());
        services.AddScoped<CardTokenizer>();
        services.AddScoped<OrphanAdopter>();
        services.AddScoped<TokenRefresher>();
        return services;
    }
}
