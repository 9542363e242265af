namespace ObotrGateway.Api.Hosting;

internal static class Time
{
    /// <summary>Every "now" goes through TimeProvider so tests can move time instead of sleeping.</summary>
    public static IServiceCollection AddClock(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        return services;
    }
}
