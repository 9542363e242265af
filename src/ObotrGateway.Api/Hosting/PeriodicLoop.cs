namespace ObotrGateway.Api.Hosting;

/// <summary>
/// The one shape of a background timer loop: a pass now, then one every interval until the host stops. Every replica
/// runs these loops; their passes claim work with row locks (SKIP LOCKED), so they need no leader election.
/// </summary>
internal static class PeriodicLoop
{
    /// <summary>
    /// Runs <paramref name="pass"/> now and then <paramref name="interval"/> after each pass. A pass that returns true (it
    /// handled a full batch, so more is due) is followed at once by the next. A failed pass is reported to
    /// <paramref name="onFailure"/> and tried again after the interval: one bad pass (database or broker down) must not end
    /// the service.
    /// </summary>
    public static async Task RunAsync(TimeSpan interval, TimeProvider clock, Func<CancellationToken, Task<bool>> pass, Action<Exception> onFailure,
        CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var moreDue = false;
            try
            {
                moreDue = await pass(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                onFailure(exception);
            }

            if (moreDue)
            {
                continue;
            }

            try
            {
                await Task.Delay(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary><see cref="RunAsync(TimeSpan, TimeProvider, Func{CancellationToken, Task{bool}}, Action{Exception}, CancellationToken)"/> for passes without batches.</summary>
    public static Task RunAsync(TimeSpan interval, TimeProvider clock, Func<CancellationToken, Task> pass, Action<Exception> onFailure,
        CancellationToken stoppingToken) =>
        RunAsync(interval, clock, async cancellationToken =>
        {
            await pass(cancellationToken);
            return false;
        }, onFailure, stoppingToken);
}
