using ObotrGateway.MdesSimulator.Acquirer;
using ObotrGateway.MdesSimulator.CustomerService;
using ObotrGateway.MdesSimulator.DigitalEnablement;
using ObotrGateway.MdesSimulator.Hosting;
using ObotrGateway.MdesSimulator.IssuerConsole;
using ObotrGateway.MdesSimulator.Operations;
using ObotrGateway.MdesSimulator.Security;

namespace ObotrGateway.MdesSimulator;

/// <summary>
/// Entry point. Not top-level statements: the test projects reference the gateway too, and two generated
/// <c>Program</c> types would clash. Tests host it with <c>WebApplicationFactory&lt;SimulatorProgram&gt;</c>.
/// </summary>
public sealed class SimulatorProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["generate-dev-keys", ..])
        {
            if (args is not [_, "--out", var directory])
            {
                await Console.Error.WriteLineAsync("usage: generate-dev-keys --out <directory>");
                return 2;
            }

            // A command run before any host exists: the system clock is the only one there is.
            DevKeySet.Generate(directory, TimeProvider.System);
            await Console.Out.WriteLineAsync($"Development keys in {Path.GetFullPath(directory)}");
            return 0;
        }

        await using var app = Build(args);
        await app.RunAsync();
        return 0;
    }

    internal static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.ClearProviders().AddJsonConsole();

        builder.Services.AddSimulatorOptions(builder.Configuration);
        builder.Services.AddSimulatorSecurity();
        builder.Services.AddTokens();
        builder.Services.AddDigitalEnablement();
        builder.Services.AddNotifications();
        builder.Services.AddFaults();
        builder.Services.AddIssuerSide();
        builder.Services.AddSimulatorHealth();
        builder.Services.AddSimulatorOpenApi();

        var app = builder.Build();
        app.MapMdes();
        app.MapCustomerService();
        app.MapIssuerConsole();
        app.MapAcquirer();
        app.MapSimulatorOperations();
        app.MapSimulatorHealth();
        app.MapSimulatorOpenApi();
        return app;
    }
}
