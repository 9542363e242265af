using Microsoft.Extensions.Options;
using ObotrGateway.MdesSimulator.Hosting;
using ObotrGateway.MdesSimulator.IssuerConsole;
using ObotrGateway.MdesSimulator.Tokens;

namespace ObotrGateway.MdesSimulator.CustomerService;

/// <summary>What the Customer Service handlers share, injected as one parameter.</summary>
internal sealed class CsServices(TokenStore store, TokenChanges changes, SimulatorSecret secret, TimeProvider time)
{
    public TokenStore Store { get; } = store;

    public TokenChanges Changes { get; } = changes;

    public SimulatorSecret Secret { get; } = secret;

    public TimeProvider Time { get; } = time;

    /// <summary>When this simulator started: the "last status change" <c>systemstatus</c> reports.</summary>
    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();
}

/// <summary>
/// The Customer Service APIs' 5 TPS (seeds, overview), shared with the legacy <c>/issuer</c> alias: one window
/// for the issuer's side, refused in the published error envelope.
/// </summary>
internal sealed class CsThrottle(IssuerConsoleGate gate, IOptions<SimulatorOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!gate.Window.TryEnter(options.Value.IssuerConsoleTpsLimit))
        {
            return CsErrors.Error(StatusCodes.Status429TooManyRequests, "System", CsErrors.RateLimitExceeded,
                "Customer Service API limit is 5 calls per second", recoverable: true);
        }

        return await next(context);
    }
}
