using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.Cryptograms;

internal static class CryptogramRegistration
{
    public static IServiceCollection AddCryptogramVault(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<CryptogramOptions>(configuration, CryptogramOptions.Section);
        services.AddSingleton<CryptogramVault>();
        services.AddScoped<CryptogramSource>();
        return services;
    }
}
