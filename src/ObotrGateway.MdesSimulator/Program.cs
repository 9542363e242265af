namespace ObotrGateway.MdesSimulator;

public sealed class SimulatorProgram
{
    public static async Task Main(string[] args)
    {
        var app = WebApplication.CreateBuilder(args).Build();
        await app.RunAsync();
    }
}
