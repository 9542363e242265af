using MassTransit;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Merchants;
using ObotrGateway.Contracts;

namespace ObotrGateway.Api.BulkTokenization;

/// <summary>
/// A bulk job worker. Claims one item at a time (<c>FOR UPDATE SKIP LOCKED</c>, random order) so any number of
/// workers on any number of replicas share a job without overlap; the per-TRID Redis limiter inside the MDES client
/// keeps them all under the cap together. Returns when the job has nothing left, and the worker that sees the
/// last item done closes the job and drops its ineligible-range filter.
/// </summary>
internal sealed partial class ProcessTokenizationJobConsumer(
    TokenizationJobStore store,
    IServiceScopeFactory scopes,
    IneligibleRangeFilter ineligibleRanges,
    BulkJobDispatcher dispatcher,
    IOptions<BulkTokenizationOptions> options,
    TimeProvider clock,
    ILogger<ProcessTokenizationJobConsumer> logger) : IConsumer<ProcessTokenizationJob>
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(250);

    public async Task Consume(ConsumeContext<ProcessTokenizationJob> context)
    {
        var jobId = context.Message.JobId;
        var cancellationToken = context.CancellationToken;
        var job = await store.FindJobAsync(jobId, cancellationToken);
        if (job is not { Status: JobStatuses.Running })
        {
            return;
        }

        if (job.CancelRequestedAt is not null)
        {
            await store.CancelPendingAsync(jobId, cancellationToken); // cancelled while the upload was still streaming in
        }

        var merchant = new CallingMerchant(job.MerchantId, job.TokenRequestorId);
        var settings = options.Value;
        var deadline = clock.GetUtcNow() + settings.WorkerSliceDuration;
        var claimId = Guid.NewGuid();
        while (clock.GetUtcNow() < deadline)
        {
            var item = await store.ClaimAsync(jobId, claimId, settings.ItemLease, cancellationToken);
            if (item is not null)
            {
                await ProcessAsync(merchant, item, claimId, cancellationToken);
                continue;
            }

            if (await store.FindJobAsync(jobId, cancellationToken) is { CancelRequestedAt: not null })
            {
                await store.CancelPendingAsync(jobId, cancellationToken); // items handed back for a retry after the cancel
            }

            if (await store.RemainingAsync(jobId, cancellationToken) == 0)
            {
                if (await store.TryFinishAsync(jobId, cancellationToken))
                {
                    await ineligibleRanges.DropAsync(jobId);
                    LogJobFinished(jobId);
                }

                return;
            }

            // Others hold the rest (or they wait to be retried, or their worker died and the lease runs out): stay until done.
            await Task.Delay(IdlePoll, clock, cancellationToken);
        }

        await dispatcher.ContinueAsync(context, context.Message);
    }

    private async Task ProcessAsync(CallingMerchant merchant, ClaimedItem item, Guid claimId, CancellationToken cancellationToken)
    {
        // A scope per item: its DbContext tracks one gateway token, not every token of a million-row job.
        await using var scope = scopes.CreateAsyncScope();
        await using var heartbeat = ItemLeaseHeartbeat.Start(store, item, claimId, options.Value.ItemLease, clock, logger);
        try
        {
            await scope.ServiceProvider.GetRequiredService<BulkItemProcessor>().ProcessAsync(merchant, item, claimId, cancellationToken);
        }
        catch (Exception exception)
        {
            // Shutdown, a database or Redis blip, anything (only its type is logged: a message could carry anything): hand the item back keeping its taskId; the next attempt reconciles.
            LogItemInterrupted(item.JobId, item.LineNumber, exception.GetType().Name);
            await store.ReleaseAsync(item, claimId, options.Value.RetryDelay, mayHaveReachedMdes: true);
            if (exception is OperationCanceledException)
            {
                throw;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk tokenization job {JobId} finished")]
    private partial void LogJobFinished(Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk job {JobId} line {LineNumber} interrupted ({ExceptionType}); handed back for reconciliation")]
    private partial void LogItemInterrupted(Guid jobId, long lineNumber, string exceptionType);
}

internal sealed class ProcessTokenizationJobConsumerDefinition(IOptions<BulkTokenizationOptions> options)
    : ConsumerDefinition<ProcessTokenizationJobConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ProcessTokenizationJobConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry => retry.Intervals(1000, 5000, 15000));
        endpointConfigurator.ConcurrentMessageLimit = options.Value.ConcurrentWorkersPerReplica;
        endpointConfigurator.PrefetchCount = options.Value.ConcurrentWorkersPerReplica;
    }
}
