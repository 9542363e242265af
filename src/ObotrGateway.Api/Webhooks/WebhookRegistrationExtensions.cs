using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.Webhooks;

internal static class WebhookServiceRegistration
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<WebhookOptions>(configuration, WebhookOptions.Section);
        // Merchant endpoints are arbitrary hosts: no redirects (a signed event must not be forwarded elsewhere).
        services.AddHttpClient(WebhookDispatcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }
}
