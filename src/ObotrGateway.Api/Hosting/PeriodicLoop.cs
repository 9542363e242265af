namespace ObotrGateway.Api.Hosting;

/// <summary>
/// The one shape of a background timer loop: a pass, then one every interval until the host stops. Every replica
/// runs these loops; their passes claim work with row locks (SKIP LOCKED), so they need no leader election.
/// </summary>
internal static class PeriodicLoop
{
    /// <summary>
    /// Runs <paramref name="pass"/> now (or after one interval, with <paramref name="firstPassAfterInterval"/>) and then
    /// <paramref name="interval"/> after each pass. A pass that returns true (it handled a full batch, so more is due) is
    /// followed at once by the next. A failed pass is reported to <paramref name="onFailure"/> and tried again after the
    /// interval: one bad pass (database or broker down) must not end the service.
    /// </summary>
    public static async Task RunAsync(TimeSpan interval, TimeProvider clock, Func<CancellationToken, Task<bool>> pass, Action<Exception> onFailure,
        CancellationToken stoppingToken, bool firstPassAfterInterval = false)
    {
        if (firstPassAfterInterval && !await DelayAsync(interval, clock, stoppingToken))
        {
            return;
        }

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

            if (!moreDue && !await DelayAsync(interval, clock, stoppingToken))
            {
                return;
            }
        }
    }

    /// <summary><see cref="RunAsync(TimeSpan, TimeProvider, Func{CancellationToken, Task{bool}}, Action{Exception}, CancellationToken, bool)"/> for passes without batches.</summary>
    public static Task RunAsync(TimeSpan interval, TimeProvider clock, Func<CancellationToken, Task> pass, Action<Exception> onFailure,
        CancellationToken stoppingToken, bool firstPassAfterInterval = false) =>
        RunAsync(interval, clock, async cancellationToken =>
        {
            await pass(cancellationToken);
            return false;
        }, onFailure, stoppingToken, firstPassAfterInterval);

    /// <summary>False when the host stopped during the wait.</summary>
    private static async Task<bool> DelayAsync(TimeSpan interval, TimeProvider clock, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(interval, clock, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
