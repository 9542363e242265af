using Microsoft.Extensions.Options;
using ObotrGateway.MdesSimulator.Faults;
using ObotrGateway.MdesSimulator.Hosting;

namespace ObotrGateway.MdesSimulator.IssuerConsole;

/// <summary>The Customer Service APIs' own limit: 5 TPS (seeds, mdes-customer-service-overview.md), separate from MDES's.</summary>
internal sealed class IssuerConsoleThrottle(IssuerConsoleGate gate, IOptions<SimulatorOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!gate.Window.TryEnter(options.Value.IssuerConsoleTpsLimit))
        {
            return TypedResults.Json(new IssuerError("RATE_LIMIT_EXCEEDED", "Customer Service API limit is 5 calls per second"), statusCode: 429);
        }

        return await next(context);
    }
}

/// <summary>One window shared by every console endpoint (filters are instantiated per endpoint).</summary>
internal sealed class IssuerConsoleGate(TimeProvider time)
{
    public TpsGate Window { get; } = new(time);
}
