using MassTransit;
using ObotrGateway.Contracts;

namespace ObotrGateway.Api.BulkTokenization;

/// <summary>
/// Sends worker messages to this deployment's own worker queue (named with <c>Messaging:QueuePrefix</c>) rather than
/// publishing them: a publish reaches every queue bound to the message type on the broker, including other
/// deployments' (or test runs') that share it.
/// </summary>
internal sealed class BulkJobDispatcher(IEndpointNameFormatter names)
{
    private readonly Uri _queue = new($"queue:{names.Consumer<ProcessTokenizationJobConsumer>()}");

    public async Task StartWorkersAsync(ISendEndpointProvider sender, Guid jobId, int workers)
    {
        var endpoint = await sender.GetSendEndpoint(_queue);
        for (var worker = 0; worker < workers; worker++)
        {
            await endpoint.Send(new ProcessTokenizationJob(jobId, worker), CancellationToken.None);
        }
    }

    public async Task ContinueAsync(ISendEndpointProvider sender, ProcessTokenizationJob message) =>
        await (await sender.GetSendEndpoint(_queue)).Send(message, CancellationToken.None);
}
