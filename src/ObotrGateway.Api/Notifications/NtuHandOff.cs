using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Contracts;

namespace ObotrGateway.Api.Notifications;

/// <summary>
/// Between the ack and the broker: the NTU endpoint only enqueues the new inbox ids here (never blocks, drops
/// when full), and a background loop publishes them. A broker that is down or slow therefore never delays an
/// ack; whatever is not published is applied by <see cref="NtuInboxSweeper"/> after Notifications:SweepAfter.
/// </summary>
internal sealed partial class NtuHandOff(OwnQueues queues, IOptions<NotificationOptions> options, ILogger<NtuHandOff> logger) : BackgroundService
{
    private readonly Channel<IReadOnlyList<long>> _queue = Channel.CreateBounded<IReadOnlyList<long>>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Enqueue(IReadOnlyList<long> inboxIds)
    {
        if (!_queue.Writer.TryWrite(inboxIds))
        {
            LogDropped(inboxIds.Count);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var inboxIds in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(options.Value.PublishTimeout);
                await queues.SendAsync<ApplyTokenUpdatesConsumer, ApplyTokenUpdates>(new ApplyTokenUpdates(inboxIds), timeout.Token);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogHandOffFailed(inboxIds.Count, exception.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hand-off of {Count} NTU inbox rows not published ({ExceptionType}); the sweeper will apply them")]
    private partial void LogHandOffFailed(int count, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hand-off queue full: {Count} NTU inbox rows left to the sweeper")]
    private partial void LogDropped(int count);
}
