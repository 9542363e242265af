using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ObotrGateway.MdesSimulator.Assets;
using ObotrGateway.MdesSimulator.CustomerService;
using ObotrGateway.MdesSimulator.DigitalEnablement;
using ObotrGateway.MdesSimulator.Faults;
using ObotrGateway.MdesSimulator.IssuerConsole;
using ObotrGateway.MdesSimulator.Notifications;
using ObotrGateway.MdesSimulator.Operations;
using ObotrGateway.MdesSimulator.Security;
using ObotrGateway.MdesSimulator.Tokens;

namespace ObotrGateway.MdesSimulator.Hosting;

/// <summary>One <c>Add…</c> per feature, so SimulatorProgram reads like a table of contents.</summary>
internal static class SimulatorServices
{
    public static IServiceCollection AddSimulatorOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SimulatorOptions>().Bind(configuration.GetSection(SimulatorOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        return services;
    }

    public static IServiceCollection AddSimulatorSecurity(this IServiceCollection services) =>
        services.AddSingleton<KeyRing>().AddSingleton<NonceCache>().AddSingleton<OAuthVerifier>().AddSingleton<SimulatorSecret>();

    public static IServiceCollection AddTokens(this IServiceCollection services)
    {
        services.AddSingleton<TokenStore>().AddSingleton<TokenChanges>().AddSingleton<CryptogramLedger>();
        services.AddSingleton<ActivationScheduler>().AddHostedService(sp => sp.GetRequiredService<ActivationScheduler>());
        return services;
    }

    public static IServiceCollection AddDigitalEnablement(this IServiceCollection services) =>
        services.AddSingleton<MdesServices>().AddSingleton<AssetCatalog>().AddHostedService<AssetWarmUp>();

    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddSingleton<NotificationQueue>().AddHostedService<NotificationDispatcher>();
        services.AddHttpClient(NotificationDispatcher.HttpClientName)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<SimulatorOptions>>().Value.NtuTimeout)
            // A 302 is a failed delivery to be retried (seeds), not a redirect to follow.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        return services;
    }

    public static IServiceCollection AddFaults(this IServiceCollection services) =>
        services.AddSingleton<FaultState>().AddSingleton<TridTpsGate>().AddSingleton<RequestLog>();

    /// <summary>The Customer Service API and its legacy <c>/issuer</c> alias share one 5 TPS window.</summary>
    public static IServiceCollection AddIssuerSide(this IServiceCollection services) =>
        services.AddSingleton<IssuerConsoleGate>().AddSingleton<CsServices>();

    public static IServiceCollection AddSimulatorHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapSimulatorHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        return app;
    }
}

/// <summary>Renders card art in the background at start-up so the first Get Asset is fast.</summary>
internal sealed class AssetWarmUp(AssetCatalog assets) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(assets.Warm, stoppingToken);
}
