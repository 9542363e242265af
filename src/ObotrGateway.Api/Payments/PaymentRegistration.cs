using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Payments.Acquirer;

namespace ObotrGateway.Api.Payments;

internal static class PaymentRegistration
{
    public static IServiceCollection AddPayments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PaymentOptions>(configuration, PaymentOptions.Section);
        services.AddAcquirer(configuration);
        services.AddHttpContextAccessor();
        services.AddScoped<PaymentProcessor>();
        return services;
    }
}
