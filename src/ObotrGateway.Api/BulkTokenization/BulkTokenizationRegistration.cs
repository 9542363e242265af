using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.BulkTokenization;

internal static class BulkTokenizationRegistration
{
    public static IServiceCollection AddBulkTokenization(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<BulkTokenizationOptions>(configuration, BulkTokenizationOptions.Section);
        services.AddSingleton<TokenizationJobStore>();
        services.AddSingleton<BulkCardCodec>();
        services.AddSingleton<IneligibleRangeFilter>();
        services.AddSingleton<BulkJobDispatcher>();
        services.AddScoped<BulkItemProcessor>();
        services.AddHostedService<BulkJobRecovery>();
        return services;
    }
}
