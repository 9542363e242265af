using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ObotrGateway.MdesSimulator.Faults;
using ObotrGateway.MdesSimulator.Hosting;
using ObotrGateway.MdesSimulator.Security;

namespace ObotrGateway.MdesSimulator.Notifications;

/// <summary>
/// Delivers queued NTUs, each on its own task (a delivery waiting hours for a retry must not hold up the others),
/// at most <see cref="MaxConcurrentDeliveries"/> in flight.
/// </summary>
internal sealed partial class NotificationDispatcher(
    NotificationQueue queue,
    KeyRing keys,
    FaultState faults,
    IHttpClientFactory httpClients,
    IOptions<SimulatorOptions> options,
    TimeProvider time,
    ILogger<NotificationDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "ntu";
    public const string NotifyPath = "digitization/static/1/0/notifyTokenUpdated";
    private const int MaxConcurrentDeliveries = 64;

    private readonly SemaphoreSlim _slots = new(MaxConcurrentDeliveries);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        try
        {
            await foreach (var delivery in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await _slots.WaitAsync(stoppingToken);
                running.RemoveAll(t => t.IsCompleted);
                running.Add(RunAsync(delivery, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: pending retries are abandoned (state is in memory only).
        }

        await Task.WhenAll(running);
    }

    public override void Dispose()
    {
        _slots.Dispose();
        base.Dispose();
    }

    private async Task RunAsync(NotificationDelivery delivery, CancellationToken stoppingToken)
    {
        try
        {
            await DeliverAsync(delivery, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            delivery.SetState("ABANDONED_AT_SHUTDOWN");
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task DeliverAsync(NotificationDelivery delivery, CancellationToken stoppingToken)
    {
        var requestor = keys.FindRequestor(delivery.ConsumerKey);
        if (requestor is null || delivery.Payload is null)
        {
            delivery.SetState("FAILED");
            return;
        }

        var delayMs = faults.Current.NotificationDelayMs;
        if (delayMs > 0)
        {
            delivery.SetState("DELAYED_BY_FAULT", time.GetUtcNow().AddMilliseconds(delayMs));
            await Task.Delay(TimeSpan.FromMilliseconds(delayMs), time, stoppingToken);
        }

        var o = options.Value;
        var body = new JsonObject
        {
            ["responseHost"] = o.ResponseHost,
            ["requestId"] = delivery.RequestId,
            ["encryptedPayload"] = FieldLevelEncryption.Encrypt(
                delivery.Payload.ToJsonString(), requestor.EncryptionCertificate, o.OaepHashingAlgorithm, o.FingerprintType),
        }.ToJsonString();
        delivery.Payload = null;
        var url = new Uri(requestor.NotificationBaseUrl.ToString().TrimEnd('/') + "/" + NotifyPath);
        delivery.Url = url.ToString();
        var client = httpClients.CreateClient(HttpClientName);

        for (var attempt = 1; ; attempt++)
        {
            delivery.SetState("IN_FLIGHT");
            var (outcome, status, retryable, retryAfter) = await SendOnceAsync(client, url, body, stoppingToken);
            if (outcome == "DELIVERED")
            {
                delivery.AddAttempt(new(attempt, time.GetUtcNow(), outcome, status, null));
                delivery.SetState("DELIVERED");
                LogDelivered(logger, delivery.Id, attempt);
                return;
            }

            var next = retryable ? RetrySchedule.NextDelay(attempt, retryAfter, o.NtuRetryTimeScale) : null;
            delivery.AddAttempt(new(attempt, time.GetUtcNow(), outcome, status, next));
            if (next is null)
            {
                delivery.SetState("FAILED");
                LogFailed(logger, delivery.Id, attempt, outcome);
                return;
            }

            delivery.SetState("RETRY_SCHEDULED", time.GetUtcNow() + next.Value);
            await Task.Delay(next.Value, time, stoppingToken);
        }
    }

    private async Task<(string Outcome, int? Status, bool Retryable, TimeSpan? RetryAfter)> SendOnceAsync(
        HttpClient client, Uri url, string body, CancellationToken stoppingToken)
    {
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(url, content, stoppingToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return ("DELIVERED", status, false, null);
            }

            TimeSpan? retryAfter = null;
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is { } header)
            {
                retryAfter = header.Delta ?? (header.Date is { } date ? date - time.GetUtcNow() : null);
                if (retryAfter < TimeSpan.Zero)
                {
                    retryAfter = TimeSpan.Zero;
                }
            }

            return ("HTTP_" + status.ToString(System.Globalization.CultureInfo.InvariantCulture), status, RetrySchedule.IsRetryable(status), retryAfter);
        }
        catch (TaskCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return ("TIMEOUT", null, true, null);
        }
        catch (HttpRequestException)
        {
            return ("CONNECTION_FAILED", null, true, null);
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "NTU {DeliveryId} delivered on attempt {Attempt}")]
    private static partial void LogDelivered(ILogger logger, string deliveryId, int attempt);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "NTU {DeliveryId} given up after attempt {Attempt}: {Outcome}")]
    private static partial void LogFailed(ILogger logger, string deliveryId, int attempt, string outcome);
}
