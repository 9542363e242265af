using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ObotrGateway.IntegrationTests.Infrastructure;

/// <summary>
/// The real gateway (Program.cs as deployed) on the run's own database, queues and Redis keys; in the "Testing" environment
/// unless a test needs another (the forged-NTU tests boot it as "Production").
/// </summary>
internal sealed class GatewayFactory(IDictionary<string, string?> settings, CapturedLogs logs, string environment = "Testing") : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(settings));
        builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(logs));
    }
}
