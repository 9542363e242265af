using Microsoft.Extensions.Options;

namespace ObotrGateway.Api.Hosting;

internal static class InfrastructureOptionsRegistration
{
    public static IServiceCollection AddInfrastructureOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ConnectionStringsOptions>(configuration, ConnectionStringsOptions.Section);
        services.AddValidatedOptions<MessagingOptions>(configuration, MessagingOptions.Section);
        return services;
    }

    /// <summary>Binds a section and validates it when the host starts, so a bad deploy fails at boot, not at first use.</summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class =>
        services.AddOptions<T>()
            .Bind(configuration.GetSection(section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
}
