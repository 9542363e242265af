namespace ObotrGateway.Api.GatewayTokens;

internal static class GatewayTokenRegistration
{
    public static IServiceCollection AddGatewayTokens(this IServiceCollection services)
    {
        services.AddScoped<CardTokenizer>();
        services.AddScoped<TokenRefresher>();
        return services;
    }
}
