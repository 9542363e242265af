using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.CardData;

internal static class CardDataRegistration
{
    public static IServiceCollection AddCardDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DataProtectionOptions>(configuration, DataProtectionOptions.Section);
        services.AddSingleton<DataProtector>();
        services.AddSingleton<PanFingerprint>();
        return services;
    }
}
