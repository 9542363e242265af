using MassTransit;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Contracts;

namespace ObotrGateway.Api.BulkTokenization;

/// <summary>Starts and continues a job's workers on this deployment's own worker queue (see <see cref="OwnQueues"/>).</summary>
internal sealed class BulkJobDispatcher(OwnQueues queues)
{
    public async Task StartWorkersAsync(ISendEndpointProvider sender, Guid jobId, int workers)
    {
        for (var worker = 0; worker < workers; worker++)
        {
            await queues.SendAsync<ProcessTokenizationJobConsumer, ProcessTokenizationJob>(new ProcessTokenizationJob(jobId, worker),
                CancellationToken.None, sender);
        }
    }

    public Task ContinueAsync(ISendEndpointProvider sender, ProcessTokenizationJob message) =>
        queues.SendAsync<ProcessTokenizationJobConsumer, ProcessTokenizationJob>(message, CancellationToken.None, sender);
}
