using Microsoft.Extensions.Options;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Idempotency;

namespace ObotrGateway.Api.Payments.Acquirer;

internal static class AcquirerRegistration
{
    public static IServiceCollection AddAcquirer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<AcquirerOptions>(configuration, AcquirerOptions.Section);
        services.AddSingleton<IValidateOptions<AcquirerOptions>, AcquirerOptionsValidator>();
        services.AddHttpClient<AcquirerClient>((provider, client) =>
        {
            var options = provider.GetRequiredService<IOptions<AcquirerOptions>>().Value;
            client.BaseAddress = new Uri(options.BaseUrl.TrimEnd('/') + "/");
            client.Timeout = options.Timeout;
        }).MarksExecutionStarted();
        return services;
    }
}
