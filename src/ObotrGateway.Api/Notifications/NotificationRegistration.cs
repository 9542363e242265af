using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.Notifications;

internal static class NotificationRegistration
{
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<NotificationOptions>(configuration, NotificationOptions.Section);
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<NotificationOptions>, NotificationOptionsValidator>();
        services.AddHostedService<UnprotectedCallbackWarning>();
        services.AddSingleton<NtuInbox>();
        services.AddSingleton<NtuHandOff>();
        services.AddHostedService(provider => provider.GetRequiredService<NtuHandOff>());
        services.AddHostedService<NtuInboxSweeper>();
        services.AddHostedService<ActivationFallback>();
        services.AddSingleton<NotificationRetentionPurge>();
        services.AddHostedService<NotificationRetentionPurgeService>();
        return services;
    }

    public static void MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapNotifyTokenUpdatedEndpoints();
        app.MapTokenResyncEndpoints();
    }
}
