namespace ObotrGateway.Api.Hosting;

internal static class ShutdownTimeout
{
    public const string Section = "HostOptions";

    /// <summary>The default: with the pod's 10 s preStop sleep it fits the 35 s terminationGracePeriodSeconds (ADR 0802).</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long a stop waits for in-flight requests and background loops: 20 s unless <c>HostOptions:ShutdownTimeout</c>
    /// says otherwise, so a deployment with a longer or shorter grace period can match it. Must stay below the pod's
    /// terminationGracePeriodSeconds minus its preStop sleep (deploy/k8s/validate.sh checks that).
    /// </summary>
    public static IServiceCollection AddShutdownTimeout(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HostOptions>()
            .Configure(host => host.ShutdownTimeout = Default)
            .Bind(configuration.GetSection(Section))
            .Validate(host => host.ShutdownTimeout >= TimeSpan.FromSeconds(1) && host.ShutdownTimeout <= TimeSpan.FromMinutes(10),
                "HostOptions:ShutdownTimeout must be 1 s to 10 min.")
            .ValidateOnStart();
        return services;
    }
}
