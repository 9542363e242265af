using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Merchants;

namespace ObotrGateway.Api.Throttling;

internal static class ThrottlingRegistration
{
    public static IServiceCollection AddThrottling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ThrottlingOptions>(configuration, ThrottlingOptions.Section);
        services.AddSingleton<RedisWindowCounter>();
        services.AddSingleton<RequestThrottles>();
        return services;
    }

    /// <summary>
    /// After authorization (the merchant is known) and before Idempotency-Key handling, so a throttled request never
    /// claims its key and its retry runs normally.
    /// </summary>
    public static IApplicationBuilder UseMerchantRequestRate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.CallingMerchantOrNull() is { } merchant
            && await context.RequestServices.GetRequiredService<RequestThrottles>().MerchantRequestAsync(merchant.MerchantId) is { } wait)
        {
            await RequestThrottles.WriteTooManyRequestsAsync(context, wait, "rate_limited", "Too many requests for this merchant.",
                "Slow down and retry after Retry-After seconds; the limit is per merchant across all gateway replicas.");
            return;
        }

        await next(context);
    });
}
