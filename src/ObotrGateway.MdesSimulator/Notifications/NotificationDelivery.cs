using System.Text.Json.Nodes;

namespace ObotrGateway.MdesSimulator.Notifications;

internal sealed record DeliveryAttempt(int Number, DateTimeOffset At, string Outcome, int? HttpStatus, TimeSpan? NextRetryIn);

/// <summary>One NTU and its delivery history. The clear payload is dropped once encrypted.</summary>
internal sealed class NotificationDelivery
{
    private readonly Lock _lock = new();
    private readonly List<DeliveryAttempt> _attempts = [];

    public required string Id { get; init; }

    public required string RequestId { get; init; }

    public required string ConsumerKey { get; init; }

    public required string TokenRequestorId { get; init; }

    public required IReadOnlyList<string> TokenUniqueReferences { get; init; }

    public string? EventReasonCode { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public JsonObject? Payload { get; set; }

    public string State { get; private set; } = "QUEUED";

    public string? Url { get; set; }

    public DateTimeOffset? NextAttemptAt { get; private set; }

    public void SetState(string state, DateTimeOffset? nextAttemptAt = null)
    {
        lock (_lock)
        {
            State = state;
            NextAttemptAt = nextAttemptAt;
        }
    }

    public void AddAttempt(DeliveryAttempt attempt)
    {
        lock (_lock)
        {
            _attempts.Add(attempt);
        }
    }

    public JsonObject ToJson()
    {
        lock (_lock)
        {
            return new JsonObject
            {
                ["id"] = Id,
                ["requestId"] = RequestId,
                ["tokenRequestorId"] = TokenRequestorId,
                ["tokenUniqueReferences"] = new JsonArray([.. TokenUniqueReferences.Select(t => (JsonNode)t)]),
                ["eventReasonCode"] = EventReasonCode,
                ["url"] = Url,
                ["state"] = State,
                ["createdAt"] = CreatedAt,
                ["nextAttemptAt"] = NextAttemptAt,
                ["attempts"] = new JsonArray([.. _attempts.Select(a => (JsonNode)new JsonObject
                {
                    ["number"] = a.Number,
                    ["at"] = a.At,
                    ["outcome"] = a.Outcome,
                    ["httpStatus"] = a.HttpStatus,
                    ["nextRetryInMs"] = a.NextRetryIn is { } next ? (long)next.TotalMilliseconds : null,
                })]),
            };
        }
    }
}
