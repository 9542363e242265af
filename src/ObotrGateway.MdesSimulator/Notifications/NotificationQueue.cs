using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ObotrGateway.MdesSimulator.Faults;
using ObotrGateway.MdesSimulator.Hosting;
using ObotrGateway.MdesSimulator.Operations;
using ObotrGateway.MdesSimulator.Tokens;

namespace ObotrGateway.MdesSimulator.Notifications;

/// <summary>
/// Hands NTUs from request handling to <see cref="NotificationDispatcher"/> without blocking: a full queue records
/// the delivery as dropped rather than stalling the issuer console or MDES calls.
/// </summary>
internal sealed class NotificationQueue
{
    private readonly Channel<NotificationDelivery> _channel;
    private readonly FaultState _faults;
    private readonly TimeProvider _time;

    public NotificationQueue(IOptions<SimulatorOptions> options, FaultState faults, TimeProvider time)
    {
        _faults = faults;
        _time = time;
        _channel = Channel.CreateBounded<NotificationDelivery>(new BoundedChannelOptions(options.Value.NotificationQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        Log = new RingBuffer<NotificationDelivery>(options.Value.NotificationLogCapacity);
    }

    public RingBuffer<NotificationDelivery> Log { get; }

    public ChannelReader<NotificationDelivery> Reader => _channel.Reader;

    /// <summary>Builds the NTU's clear payload from the token now (caller holds the store lock) and queues it.</summary>
    public void Enqueue(Token token, string? eventReasonCode, bool productConfig, bool tokenInfo)
    {
        var delivery = new NotificationDelivery
        {
            Id = "ntu-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            RequestId = Guid.NewGuid().ToString("N"),
            ConsumerKey = token.ConsumerKey,
            TokenRequestorId = token.TokenRequestorId,
            TokenUniqueReferences = [token.TokenUniqueReference],
            EventReasonCode = eventReasonCode,
            CreatedAt = _time.GetUtcNow(),
            Payload = new JsonObject { ["tokens"] = new JsonArray(TokenViews.Notification(token, eventReasonCode, productConfig, tokenInfo)) },
        };
        Log.Add(delivery);
        if (_faults.Current.DropNotifications)
        {
            delivery.Payload = null;
            delivery.SetState("DROPPED_BY_FAULT");
            return;
        }

        if (!_channel.Writer.TryWrite(delivery))
        {
            delivery.Payload = null;
            delivery.SetState("DROPPED_QUEUE_FULL");
        }
    }

    public void Complete() => _channel.Writer.TryComplete();
}
