using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.Encryption;
using ObotrGateway.Api.Mdes.Wire;

namespace ObotrGateway.Api.Notifications;

/// <summary>
/// MDES's callback. MDES is authenticated by the payload decrypting with one of our keys (and optionally by
/// mutual TLS on a dedicated listener); merchants' API keys do not apply, so the route is anonymous. The
/// updates are stored in the inbox and acknowledged; applying them happens elsewhere and never delays the ack.
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
            .WithDescription("Called by MDES only. The body is MDES's encrypted NTU; it must decrypt with one of the gateway's keys "
                + "(by publicKeyFingerprint), otherwise 401 (unknown key) or 400 (undecryptable or malformed) and nothing is stored. "
                + "A repeated requestId is acknowledged again and not applied twice.")
            .Accepts<JsonElement>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    internal static async Task<Results<Ok<NotifyTokenUpdatedAck>, ProblemHttpResult>> NotifyTokenUpdated(
        HttpContext context, MdesPayloadCrypto crypto, NtuInbox inbox, NtuHandOff handOff, IOptions<NotificationOptions> options,
        IOptions<MdesOptions> mdesOptions, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(NotifyTokenUpdatedEndpoints));
        var body = await ReadBodyAsync(context.Request, options.Value.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "ntu_too_large", "The notification body is too large.");
        }

        NotifyTokenUpdatedRequest request;
        try
        {
            request = crypto.ReadNotifyTokenUpdated(body);
        }
        catch (MdesCryptographyException exception) when (exception.Failure == MdesCryptographyFailure.UnknownFingerprint)
        {
            LogRejected(logger, "unknown_key_fingerprint");
            return Problems.Create(StatusCodes.Status401Unauthorized, "ntu_unauthenticated",
                "The payload is not encrypted to a key of this gateway.");
        }
        catch (MdesCryptographyException exception)
        {
            LogRejected(logger, exception.Failure.ToString());
            return Problems.Create(StatusCodes.Status400BadRequest, "ntu_undecryptable", "The notification payload could not be decrypted.",
                exception.Failure.ToString());
        }

        var tokens = request.EncryptedPayload?.EncryptedData?.Tokens ?? [];
        if (request.RequestId is not { Length: >= 1 and <= 64 } requestId || tokens.Count == 0
            || tokens.Any(token => string.IsNullOrEmpty(token.TokenUniqueReference) || token.TokenUniqueReference.Length > 64))
        {
            LogRejected(logger, "invalid_notification");
            return Problems.Create(StatusCodes.Status400BadRequest, "ntu_invalid",
                "A notification needs a requestId (1–64) and at least one token with a tokenUniqueReference.");
        }

        IReadOnlyList<long> inserted;
        try
        {
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

        LogReceived(logger, requestId, tokens.Count, inserted.Count);
        if (inserted.Count > 0)
        {
            handOff.Enqueue(inserted);
        }

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
    /// <summary>Inserts the updates; returns the ids of rows that are new (a repeated requestId yields none).</summary>
    public async Task<IReadOnlyList<long>> InsertAsync(string requestId, IReadOnlyList<MdesToken> tokens, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = connection.CreateBatch();
        foreach (var token in tokens)
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
            command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(token, MdesJson.Options) });
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
