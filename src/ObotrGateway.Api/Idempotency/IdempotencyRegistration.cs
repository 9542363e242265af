using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.Idempotency;

internal static class IdempotencyRegistration
{
    /// <summary>Marks the endpoints of a group (or one endpoint) as honouring Idempotency-Key.</summary>
    public static TBuilder AcceptsIdempotencyKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new IdempotentEndpointMetadata());

    public static IApplicationBuilder UseIdempotencyKeys(this IApplicationBuilder app) => app.UseMiddleware<IdempotentRequests>();

    public static IServiceCollection AddIdempotency(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<IdempotencyOptions>(configuration, IdempotencyOptions.Section);
        services.AddSingleton<IdempotencyRecordPurge>();
        services.AddHostedService(provider => provider.GetRequiredService<IdempotencyRecordPurge>());
        return services;
    }
}
