using System.Diagnostics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.Webhooks;

/// <summary>
/// Delivers outbox events, signed in the Standard Webhooks format (ADR 0407), with exponential backoff. Rows are claimed with FOR UPDATE SKIP LOCKED and
/// leased by moving next_attempt_at past the request timeout before the HTTP call, so replicas never send the
/// same attempt twice and a crashed sender's rows come back after the lease. Delivery is at least once
/// (a receiver that answers after the lease may see a repeat): merchants dedupe on the event id.
/// </summary>
internal sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopes,
    IHttpClientFactory httpClients,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";

    // A full batch: more may be due, so the next pass goes at once.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(options.Value.PollInterval, clock, async cancellationToken => await DispatchOnceAsync(cancellationToken) >= options.Value.BatchSize,
            exception => LogPassFailed(exception.GetType().Name), stoppingToken);

    internal async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var protector = scope.ServiceProvider.GetRequiredService<DataProtector>();
        var settings = options.Value;
        var claimed = await ClaimAsync(db, settings, cancellationToken);
        var webhooks = new Dictionary<(Guid, string), WebhookTarget?>();
        foreach (var item in claimed)
        {
            // Hyperswitch's events go to its own URL with its fixed Authorization value (docs/hyperswitch.md), not signed.
            var hyperswitch = Hyperswitch.HyperswitchWebhooks.IsHyperswitchEvent(item.EventType);
            if (!webhooks.TryGetValue((item.MerchantId, hyperswitch ? item.EventType : ""), out var webhook))
            {
                if (hyperswitch)
                {
                    webhook = await Hyperswitch.HyperswitchWebhooks.TargetAsync(scope.ServiceProvider, item.MerchantId, item.EventType, cancellationToken)
                        is { } destination ? new WebhookTarget(destination.Url, [], destination.Authorization) : null;
                }
                else
                {
                    var row = await db.MerchantWebhooks.AsNoTracking().SingleOrDefaultAsync(hook => hook.MerchantId == item.MerchantId, cancellationToken);
                    webhook = row is null ? null : SigningKeys(row, protector, clock.GetUtcNow()) is [_, ..] keys ? new WebhookTarget(row.Url, keys, null) : null;
                }

                webhooks[(item.MerchantId, hyperswitch ? item.EventType : "")] = webhook;
            }

            if (webhook is not { } target)
            {
                // No endpoint registered when the event was due: nothing to deliver to; the event stays on record.
                item.State = WebhookEventStates.NoWebhook;
                continue;
            }

            var (status, outcome, elapsed) = await SendAsync(item, target, settings, cancellationToken);
            var now = clock.GetUtcNow();
            WebhookMetrics.Attempted(outcome, item.CreatedAt, now);
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                MerchantId = item.MerchantId,
                EventId = item.Id,
                Attempt = item.Attempts,
                Url = target.Url,
                HttpStatus = status,
                Outcome = outcome,
                DurationMs = (int)elapsed.TotalMilliseconds,
                AttemptedAt = now,
            });
            if (outcome == WebhookDeliveryOutcomes.Delivered)
            {
                item.State = WebhookEventStates.Delivered;
                item.DeliveredAt = now;
            }
            else if (item.Attempts >= settings.MaxAttempts)
            {
                item.State = WebhookEventStates.Failed;
                LogGaveUp(item.Id, item.Attempts);
                WebhookMetrics.GaveUp();
            }
            else
            {
                item.NextAttemptAt = now + RetryDelay(item.Attempts, settings);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return claimed.Count;
    }

    /// <summary>
    /// The keys that sign a delivery: the current secret's, then the replaced secret's while its rotation overlap lasts
    /// (ADR 0407). Empty when the current secret cannot be decrypted (the event then counts as having no webhook).
    /// </summary>
    private static List<byte[]> SigningKeys(MerchantWebhook row, DataProtector protector, DateTimeOffset now)
    {
        var keys = new List<byte[]>(2);
        var associatedData = row.MerchantId.ToString();
        if (protector.Unprotect(WebhookEndpoints.SecretPurpose, row.SecretProtected, associatedData) is not { } current)
        {
            return keys;
        }

        keys.Add(WebhookSignature.KeyOf(Encoding.UTF8.GetString(current)));
        if (row.PreviousSecretProtected is { } previousProtected && row.PreviousSecretExpiresAt > now
            && protector.Unprotect(WebhookEndpoints.SecretPurpose, previousProtected, associatedData) is { } previous)
        {
            keys.Add(WebhookSignature.KeyOf(Encoding.UTF8.GetString(previous)));
        }

        return keys;
    }

    /// <summary>Exponential: InitialRetryDelay × 2^(attempts − 1), capped at MaxRetryDelay.</summary>
    internal static TimeSpan RetryDelay(int attempts, WebhookOptions settings)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var delay = TimeSpan.FromMilliseconds(settings.InitialRetryDelay.TotalMilliseconds * factor);
        return delay > settings.MaxRetryDelay ? settings.MaxRetryDelay : delay;
    }

    private async Task<List<WebhookOutboxEvent>> ClaimAsync(GatewayDbContext db, WebhookOptions settings, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await db.WebhookOutbox
            .FromSql($"""
                SELECT * FROM webhook_outbox WHERE state = 'pending' AND next_attempt_at <= {now}
                ORDER BY next_attempt_at LIMIT {settings.BatchSize} FOR UPDATE SKIP LOCKED
                """)
            .ToListAsync(cancellationToken);
        var lease = now + settings.RequestTimeout * (claimed.Count + 1);
        foreach (var item in claimed)
        {
            item.Attempts++;
            item.NextAttemptAt = lease;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    private async Task<(int? Status, string Outcome, TimeSpan Elapsed)> SendAsync(WebhookOutboxEvent item, WebhookTarget target,
        WebhookOptions settings, CancellationToken cancellationToken)
    {
        // The id is the event's, the same on every attempt (receivers dedupe on it); the timestamp is this attempt's, so
        // a retry hours later still passes the receiver's replay window.
        var id = item.Id.ToString();
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url)
        {
            Content = new StringContent(item.Payload, Encoding.UTF8, "application/json"),
            // TCP only: HTTP/3 runs over QUIC, which the address-checking ConnectCallback never sees.
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Headers.Add(WebhookSignature.IdHeader, id);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (target.Authorization is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization); // exactly as configured: no scheme is added
        }
        else
        {
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(target.SigningKeys, id, timestamp, item.Payload));
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.RequestTimeout);
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            return (status, response.IsSuccessStatusCode ? WebhookDeliveryOutcomes.Delivered : WebhookDeliveryOutcomes.HttpError, Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, WebhookDeliveryOutcomes.Timeout, Stopwatch.GetElapsedTime(started));
        }
        catch (HttpRequestException exception) when (exception.InnerException is WebhookAddressBlockedException)
        {
            // Refused before connecting (ADR 0406): a failed attempt like any other, retried in case DNS is fixed.
            LogAddressBlocked(item.Id, item.MerchantId);
            return (null, WebhookDeliveryOutcomes.AddressBlocked, Stopwatch.GetElapsedTime(started));
        }
        catch (HttpRequestException)
        {
            return (null, WebhookDeliveryOutcomes.ConnectionFailed, Stopwatch.GetElapsedTime(started));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook event {EventId} failed after {Attempts} attempts; giving up")]
    private partial void LogGaveUp(Guid eventId, int attempts);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Webhook event {EventId} of merchant {MerchantId} not sent: the webhook host resolves to a non-public address")]
    private partial void LogAddressBlocked(Guid eventId, Guid merchantId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook dispatch pass failed ({ExceptionType})")]
    private partial void LogPassFailed(string exceptionType);
}

/// <summary>Where an event goes and how it is authenticated: signed with the keys (merchant webhooks) or a fixed Authorization value.</summary>
internal sealed record WebhookTarget(string Url, IReadOnlyList<byte[]> SigningKeys, string? Authorization);
