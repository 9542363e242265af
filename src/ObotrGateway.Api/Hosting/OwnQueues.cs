using System.Collections.Concurrent;
using MassTransit;

namespace ObotrGateway.Api.Hosting;

/// <summary>
/// Sends work to this deployment's own consumer queues (named with <c>Messaging:QueuePrefix</c>). Never Publish for
/// work: a publish reaches every queue bound to the message type on the broker, so another deployment (a sandbox, a
/// test run) sharing it would receive our inbox ids, TURs and TRIDs and act on them against its own database and MDES.
/// </summary>
internal sealed class OwnQueues(IEndpointNameFormatter names, IBus bus)
{
    private readonly ConcurrentDictionary<Type, Uri> _queues = new();

    /// <summary>Sends to <typeparamref name="TConsumer"/>'s queue, through <c>via</c> (a consume context, keeping its
    /// correlation) when given, else the bus.</summary>
    public async Task SendAsync<TConsumer, TMessage>(TMessage message, CancellationToken cancellationToken, ISendEndpointProvider? via = null)
        where TConsumer : class, IConsumer<TMessage>
        where TMessage : class
    {
        var queue = _queues.GetOrAdd(typeof(TConsumer), _ => new Uri($"queue:{names.Consumer<TConsumer>()}"));
        var endpoint = await (via ?? bus).GetSendEndpoint(queue);
        await endpoint.Send(message, cancellationToken);
    }
}
