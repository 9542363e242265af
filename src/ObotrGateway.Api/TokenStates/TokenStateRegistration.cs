namespace ObotrGateway.Api.TokenStates;

internal static class TokenStateRegistration
{
    public static IServiceCollection AddTokenStates(this IServiceCollection services)
    {
        services.AddScoped<TokenStateStore>();
        services.AddScoped<TokenStateReader>();
        return services;
    }
}
