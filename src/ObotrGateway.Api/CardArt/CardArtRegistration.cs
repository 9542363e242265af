namespace ObotrGateway.Api.CardArt;

internal static class CardArtRegistration
{
    public static IServiceCollection AddCardArt(this IServiceCollection services)
    {
        services.AddScoped<CardArtAssetCache>();
        return services;
    }
}
