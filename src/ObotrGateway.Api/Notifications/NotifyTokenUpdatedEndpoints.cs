using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.Encryption;

namespace ObotrGateway.Api.Notifications;

/// <summary>
/// MDES's callback. MDES is authenticated by mutual TLS with a pinned client certificate (required outside Development,
/// <see cref="NotificationOptionsValidator"/>); the payload must also be encrypted to one of our keys, which proves nothing
/// about the sender (the key is public) but keeps the content confidential. Merchants' API keys do not apply, so the route
/// is anonymous. The updates are stored in the inbox and acknowledged; applying them happens elsewhere and never delays the ack.
/// </summary>
internal static partial class NotifyTokenUpdatedEndpoints
{
    public const string Route = "/digitization/static/1/0/notifyTokenUpdated";

    public static void MapNotifyTokenUpdatedEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost(Route, NotifyTokenUpdated)
            .AllowAnonymous()
            .AddEndpointFilter<ClientCertificateFilter>()
            .WithTags("MDES callbacks")
            .WithName("NotifyTokenUpdated")
            .WithSummary("MDES Notify Token Updated: store the token updates durably, then acknowledge.")
            .WithDescription("Called by MDES only, over mutual TLS with a pinned client certificate outside Development (401 without, "
                + "403 from a network outside Notifications:AllowedCallerNetworks). The body is MDES's encrypted NTU; it must decrypt with "
                + "one of the gateway's keys (by publicKeyFingerprint), otherwise 401 (unknown key) or 400 (not encrypted, undecryptable "
                + "or malformed) and nothing is stored. A repeated requestId is acknowledged again and not applied twice.")
            .WithMetadata(new MutualTlsCaller())
            .Accepts<EncryptedNtuRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    internal static async Task<Results<Ok<NotifyTokenUpdatedAck>, ProblemHttpResult>> NotifyTokenUpdated(
        HttpContext context, MdesPayloadCrypto crypto, NtuInbox inbox, NtuHandOff handOff, IOptions<NotificationOptions> options,
        IOptions<MdesOptions> mdesOptions, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var logger = loggers.CreateLogger(typeof(NotifyTokenUpdatedEndpoints));
        var body = await ReadBodyAsync(context.Request, options.Value.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "ntu_too_large", "The notification body is too large.");
        }

        if (MdesNotifications.MalformedJson(body) is { } malformed)
        {
            LogRejected(logger, malformed);
            return Problems.Create(StatusCodes.Status400BadRequest, "ntu_invalid", "The notification body is not acceptable JSON.", malformed);
        }

        MdesNotification notification;
        try
        {
            notification = crypto.ReadNotification(body);
        }
        catch (MdesCryptographyException exception) when (exception.Failure == MdesCryptographyFailure.UnknownFingerprint)
        {
            LogRejected(logger, "unknown_key_fingerprint");
            return Problems.Create(StatusCodes.Status401Unauthorized, "ntu_unauthenticated",
                "The payload is not encrypted to a key of this gateway.");
        }
        catch (MdesCryptographyException exception) when (exception.Failure is MdesCryptographyFailure.NotEncrypted or MdesCryptographyFailure.MissingField)
        {
            // Encryption is mandatory: clear data, or key material missing or not a string, is never taken as MDES's word.
            LogRejected(logger, exception.Failure.ToString());
            return Problems.Create(StatusCodes.Status400BadRequest, "ntu_not_encrypted",
                "The notification payload is not in the encrypted form (encryptedData, encryptedKey, publicKeyFingerprint as strings).",
                exception.Failure.ToString());
        }
        catch (MdesCryptographyException exception) when (exception.Failure == MdesCryptographyFailure.InvalidPayloadShape)
        {
            LogRejected(logger, exception.Failure.ToString());
            return Problems.Create(StatusCodes.Status400BadRequest, "ntu_invalid", "The notification is not a NotifyTokenUpdated request.",
                exception.Path);
        }
        catch (MdesCryptographyException exception)
        {
            LogRejected(logger, exception.Failure.ToString());
            return Problems.Create(StatusCodes.Status400BadRequest, "ntu_undecryptable", "The notification payload could not be decrypted.",
                exception.Failure.ToString());
        }

        // A null item (tokens:[null]) is as invalid as an item without its TUR.
        if (notification.RequestId is not { Length: >= 1 and <= 64 } requestId || notification.Tokens.Count == 0
            || notification.Tokens.Any(token => token?.State.TokenUniqueReference is not { Length: >= 1 and <= 64 }))
        {
            LogRejected(logger, "invalid_notification");
            return Problems.Create(StatusCodes.Status400BadRequest, "ntu_invalid",
                "A notification needs a requestId (1–64) and at least one token with a tokenUniqueReference.");
        }

        IReadOnlyList<long> inserted;
        try
        {
            var tokens = notification.Tokens.OfType<NotifiedTokenUpdate>().ToList();
            if (await inbox.WaitingIsFullAsync(tokens, options.Value.MaxWaitingUpdates, cancellationToken))
            {
                // Updates for tokens we do not know are bounded; MDES retries a 503, by when a real token has been stored.
                LogWaitingFull(logger, requestId, options.Value.MaxWaitingUpdates);
                context.Response.Headers.RetryAfter = "60";
                return Problems.Create(StatusCodes.Status503ServiceUnavailable, "ntu_backlog_full",
                    "Too many notifications wait for tokens this gateway does not know; retry later.",
                    extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = 60 });
            }

            inserted = await inbox.InsertAsync(requestId, tokens, cancellationToken);
        }
        catch (NpgsqlException exception)
        {
            // Not stored means not acknowledged: MDES retries 503s (honouring Retry-After), and the unique key makes the retry land once.
            // The SQLSTATE (e.g. 53300: no server slots left) or a connection wait that timed out (pool exhausted or server
            // unreachable) rather than only "NpgsqlException": tells overload from an outage in the log.
            LogNotStored(logger, requestId, exception.SqlState ?? (exception.InnerException is TimeoutException ? "connection_timeout" : exception.GetType().Name));
            context.Response.Headers.RetryAfter = "1";
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "ntu_storage_unavailable",
                "The notification could not be stored; retry later.", extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = 1 });
        }

        LogReceived(logger, requestId, notification.Tokens.Count, inserted.Count);
        if (inserted.Count > 0)
        {
            handOff.Enqueue(inserted);
        }

        NotificationMetrics.Acknowledged(inserted.Count, started);
        return TypedResults.Ok(new NotifyTokenUpdatedAck(mdesOptions.Value.ResponseHost, Guid.NewGuid().ToString("N")));
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "NTU {RequestId} stored: {TokenCount} token updates, {NewCount} new")]
    private static partial void LogReceived(ILogger logger, string requestId, int tokenCount, int newCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "NTU {RequestId} not stored ({Failure}); answered 503 so MDES retries")]
    private static partial void LogNotStored(ILogger logger, string requestId, string failure);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "NTU {RequestId} refused: {Max} inbox rows already wait for unknown TURs (Notifications:MaxWaitingUpdates)")]
    private static partial void LogWaitingFull(ILogger logger, string requestId, int max);

    [LoggerMessage(Level = LogLevel.Warning, Message = "NTU rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}

/// <summary>Our acknowledgement (contract §3): MDES only needs the 200.</summary>
internal sealed record NotifyTokenUpdatedAck(
    [property: Description("Our host name (Mdes:ResponseHost); omitted when not configured.")] string? ResponseHost,
    [property: Description("Our id for this acknowledgement.")] string ResponseId);

/// <summary>Stores NTU token updates; the unique (requestId, TUR) makes a repeated NTU a no-op.</summary>
internal sealed class NtuInbox(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>
    /// True when one of <paramref name="tokens"/> names a TUR no gateway token has and <paramref name="max"/> rows already
    /// wait for unknown TURs (an NTU for known tokens is never refused). Both lookups use indexes (unique TUR, unprocessed).
    /// </summary>
    public async Task<bool> WaitingIsFullAsync(IReadOnlyList<NotifiedTokenUpdate> tokens, int max, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT EXISTS (SELECT 1 FROM unnest($1::text[]) AS t(tur)
                           WHERE NOT EXISTS (SELECT 1 FROM gateway_tokens g WHERE g.token_unique_reference = t.tur))
               AND (SELECT count(*) FROM (SELECT 1 FROM ntu_inbox WHERE state = 'waiting' LIMIT $2) AS w) >= $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tokens.Select(token => token.State.TokenUniqueReference!).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)max });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Inserts the updates; returns the ids of rows that are new (a repeated requestId yields none).</summary>
    public async Task<IReadOnlyList<long>> InsertAsync(string requestId, IReadOnlyList<NotifiedTokenUpdate> updates, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = connection.CreateBatch();
        foreach (var (token, payload) in updates)
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO ntu_inbox (request_id, token_unique_reference, token_requestor_id, status, event_reason_code,
                                       status_timestamp, payload, state, received_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, 'received', $8)
                ON CONFLICT (request_id, token_unique_reference) DO NOTHING
                RETURNING id
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = requestId });
            command.Parameters.Add(new NpgsqlParameter { Value = token.TokenUniqueReference! });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)token.TokenRequestorId ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)token.Status ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)token.EventReasonCode ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)token.StatusTimestamp?.ToUniversalTime() ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = payload });
            command.Parameters.Add(new NpgsqlParameter { Value = now });
            batch.BatchCommands.Add(command);
        }

        var ids = new List<long>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        do
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
            }
        }
        while (await reader.NextResultAsync(cancellationToken));

        return ids;
    }
}

/// <summary>
/// The NotifyTokenUpdated body as MDES sends it (docs/notifications.md), for the OpenAPI document only: the handler reads
/// the raw body itself (strict JSON first, then decryption). The token updates are inside encryptedPayload, encrypted to
/// one of the gateway's keys (RSA-OAEP-wrapped AES key, hex).
/// </summary>
internal sealed record EncryptedNtuRequest(
    [property: System.ComponentModel.DataAnnotations.Required, System.ComponentModel.DataAnnotations.StringLength(64, MinimumLength = 1)] string? RequestId,
    [property: System.ComponentModel.DataAnnotations.StringLength(64)] string? ResponseHost,
    [property: System.ComponentModel.DataAnnotations.Required] EncryptedPayloadInput? EncryptedPayload);

internal sealed record EncryptedPayloadInput(
    [property: System.ComponentModel.DataAnnotations.Required, System.ComponentModel.DataAnnotations.RegularExpression("^[0-9A-Fa-f]+$")] string? EncryptedData,
    [property: System.ComponentModel.DataAnnotations.Required] string? EncryptedKey,
    [property: System.ComponentModel.DataAnnotations.Required] string? PublicKeyFingerprint,
    [property: System.ComponentModel.DataAnnotations.AllowedValues("SHA256", "SHA512")] string? OaepHashingAlgorithm,
    string? Iv);
