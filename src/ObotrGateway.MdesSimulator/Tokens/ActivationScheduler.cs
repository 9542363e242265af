using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ObotrGateway.MdesSimulator.Hosting;

namespace ObotrGateway.MdesSimulator.Tokens;

/// <summary>
/// Activates new tokens after <see cref="SimulatorOptions.ActivationDelay"/> and sends the activation NTU. The
/// delay is constant, so due times arrive in order and one sequential loop suffices.
/// </summary>
internal sealed class ActivationScheduler(TokenChanges changes, IOptions<SimulatorOptions> options, TimeProvider time) : BackgroundService
{
    private readonly Channel<(string Tur, DateTimeOffset Due)> _pending = Channel.CreateUnbounded<(string, DateTimeOffset)>(
        new UnboundedChannelOptions { SingleReader = true });

    public void Schedule(string tokenUniqueReference) =>
        _pending.Writer.TryWrite((tokenUniqueReference, time.GetUtcNow() + options.Value.ActivationDelay));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (tur, due) in _pending.Reader.ReadAllAsync(stoppingToken))
            {
                var wait = due - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, stoppingToken);
                }

                // A token deleted before activation is refused by the transition table; nothing to do then.
                changes.Apply([tur], TokenAction.Activate, ChangeActor.Mdes, reasonCode: null,
                    data: new DataChange(static _ => { }, ProductConfigChanged: true, TokenInfoChanged: true));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }
}
