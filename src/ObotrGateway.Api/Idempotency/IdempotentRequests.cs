using System.Text;
using System.Text.Json;
using Npgsql;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Merchants;

namespace ObotrGateway.Api.Idempotency;

/// <summary>Endpoint metadata: this POST (or PUT) honours <c>Idempotency-Key</c>.</summary>
internal sealed class IdempotentEndpointMetadata;

/// <summary>
/// Idempotency-Key for merchant writes. The first request with a key claims it (a row in PostgreSQL, unique on
/// merchant + key) before the handler runs; its response is stored encrypted (it may hold a token number or
/// cryptogram) and replayed for the same key and body. A different body under the same key is refused with
/// 422; a duplicate arriving while the first is still running waits for it, so concurrent duplicates execute
/// once. Only outcomes of an operation that started are stored (ADR 0707): a 2xx/3xx always; a 4xx only when the
/// handler had already called MDES or the acquirer (<see cref="ExecutionStartedKey"/>), so a request refused by
/// validation leaves the key free for the corrected retry; a 5xx only after an effect that must never run twice.
/// </summary>
internal sealed partial class IdempotentRequests(RequestDelegate next, ILogger<IdempotentRequests> logger)
{
    public const string HeaderName = "Idempotency-Key";

    /// <summary>Set in HttpContext.Items by a handler once it has caused an effect that must never run twice.</summary>
    public const string SideEffectsKey = "obotr.side-effects";

    /// <summary>Set in HttpContext.Items by <see cref="ExecutionStartedMarker"/> when a request leaves for MDES or the acquirer.</summary>
    public const string ExecutionStartedKey = "obotr.execution-started";

    // A claim still open after this long belongs to a process that died mid-request; a retry may take it over.
    private static readonly TimeSpan AbandonedClaim = TimeSpan.FromMinutes(5);
    private const string Purpose = "idempotency-response";
    private static readonly TimeSpan WaitForFirst = TimeSpan.FromSeconds(30);
    private static readonly string[] ReplayedHeaders = ["Location", "Retry-After"];

    public async Task InvokeAsync(HttpContext context, NpgsqlDataSource db, DataProtector protector, PanFingerprint fingerprints, TimeProvider clock)
    {
        var key = context.Request.Headers[HeaderName].ToString();
        if (context.GetEndpoint()?.Metadata.GetMetadata<IdempotentEndpointMetadata>() is null
            // PUT too: a set-up PUT may rotate a key, which must not happen twice for one intent.
            || !(HttpMethods.IsPost(context.Request.Method) || HttpMethods.IsPut(context.Request.Method)) || key.Length == 0
            // Records are scoped to a merchant: an admin or anonymous caller on a marked route gets no replay (and no 500).
            || context.User.CallingMerchantOrNull() is not { } caller)
        {
            await next(context);
            return;
        }

        if (key.Length > 255 || key.Any(char.IsControl))
        {
            await Problems.Validation("invalid_idempotency_key", "Idempotency-Key must be 1 to 255 printable characters.").ExecuteAsync(context);
            return;
        }

        var merchantId = caller.MerchantId;
        context.Request.EnableBuffering();
        using var body = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        }
        catch (BadHttpRequestException exception)
        {
            // Over the body limit, or a truncated upload: the client's mistake, answered as such (413/400), never 500.
            var code = exception.StatusCode == StatusCodes.Status413PayloadTooLarge ? "payload_too_large" : "malformed_request";
            await Problems.Create(exception.StatusCode, code, "The request body could not be read.").ExecuteAsync(context);
            return;
        }

        context.Request.Body.Position = 0;
        // Keyed: the body may hold a PAN, and an unkeyed hash of a PAN is reversible.
        var requestFingerprint = fingerprints.OfBytes([.. Encoding.UTF8.GetBytes(context.Request.Method + " " + context.Request.Path + "\n"), .. body.ToArray()]);

        var waitStarted = clock.GetTimestamp();
        while (true)
        {
            if (await TryClaimAsync(db, merchantId, key, requestFingerprint, context.RequestAborted))
            {
                await ExecuteAndStoreAsync(context, db, protector, merchantId, key);
                return;
            }

            var stored = await ReadAsync(db, merchantId, key, context.RequestAborted);
            if (stored is null)
            {
                continue; // the first attempt failed and released the key between our two statements
            }

            if (!stored.Value.Fingerprint.AsSpan().SequenceEqual(requestFingerprint))
            {
                await Problems.Create(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused",
                    "This Idempotency-Key was used with a different request.",
                    "Use a new key for a new request; reuse a key only to retry the identical request.").ExecuteAsync(context);
                return;
            }

            if (stored.Value.Status is { } status)
            {
                await ReplayAsync(context, protector, merchantId, key, status, stored.Value.Headers, stored.Value.Body);
                return;
            }

            if (clock.GetElapsedTime(waitStarted) > WaitForFirst)
            {
                await Problems.Create(StatusCodes.Status409Conflict, "idempotency_request_in_progress",
                    "A request with this Idempotency-Key is still being processed.", "Retry later with the same key.").ExecuteAsync(context);
                return;
            }

            await Task.Delay(100, context.RequestAborted);
        }
    }

    private async Task ExecuteAndStoreAsync(HttpContext context, NpgsqlDataSource db, DataProtector protector, Guid merchantId, string key)
    {
        var original = context.Response.Body;
        using var captured = new MemoryStream();
        context.Response.Body = captured;
        try
        {
            await next(context);
        }
        catch
        {
            await ReleaseAsync(db, merchantId, key);
            throw;
        }
        finally
        {
            context.Response.Body = original;
        }

        var bytes = captured.ToArray();
        if (!IsStored(context.Response.StatusCode, context.Items))
        {
            await ReleaseAsync(db, merchantId, key);
        }
        else
        {
            var headers = ReplayedHeaders.Where(name => context.Response.Headers.ContainsKey(name))
                .ToDictionary(name => name, name => context.Response.Headers[name].ToString());
            headers["Content-Type"] = context.Response.ContentType ?? "";
            await using var complete = db.CreateCommand("""
                UPDATE idempotency_records SET response_status = $3, response_headers = $4::jsonb, response_body = $5, completed_at = now()
                WHERE merchant_id = $1 AND idempotency_key = $2
                """);
            complete.Parameters.Add(new NpgsqlParameter { Value = merchantId });
            complete.Parameters.Add(new NpgsqlParameter { Value = key });
            complete.Parameters.Add(new NpgsqlParameter { Value = context.Response.StatusCode });
            complete.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(headers) });
            complete.Parameters.Add(new NpgsqlParameter { Value = protector.Protect(Purpose, bytes, $"{merchantId}/{key}") });
            await complete.ExecuteNonQueryAsync(CancellationToken.None);
        }

        await original.WriteAsync(bytes, context.RequestAborted);
    }

    /// <summary>
    /// Whether an answer is bound to its key for good. A 5xx means nothing happened and the same key may run again —
    /// unless the handler already did something that must not be repeated (an authorization at the acquirer). A 4xx
    /// decided before anything left the process (validation, unknown token, wrong state, a full TPS window) changed
    /// nothing, so storing it would only turn the corrected retry into idempotency_key_reused; a 4xx that is MDES's
    /// or the acquirer's answer (declined, ineligible) is the outcome of a call that happened, and is replayed.
    /// </summary>
    internal static bool IsStored(int status, IDictionary<object, object?> items) => status switch
    {
        >= 500 => items.ContainsKey(SideEffectsKey),
        >= 400 => items.ContainsKey(ExecutionStartedKey) || items.ContainsKey(SideEffectsKey),
        _ => true,
    };

    private async Task ReplayAsync(HttpContext context, DataProtector protector, Guid merchantId, string key, int status,
        Dictionary<string, string> headers, byte[] body)
    {
        var plaintext = protector.Unprotect(Purpose, body, $"{merchantId}/{key}");
        if (plaintext is null)
        {
            // The key that wrote it was retired: we cannot replay, and must not execute a second time.
            LogUnreadableStoredResponse(merchantId);
            await Problems.Create(StatusCodes.Status409Conflict, "idempotency_response_unavailable",
                "The stored response for this Idempotency-Key can no longer be read.").ExecuteAsync(context);
            return;
        }

        context.Response.StatusCode = status;
        foreach (var (name, value) in headers.Where(header => header.Key != "Content-Type"))
        {
            context.Response.Headers[name] = value;
        }

        if (headers.TryGetValue("Content-Type", out var contentType) && contentType.Length > 0)
        {
            context.Response.ContentType = contentType;
        }

        context.Response.Headers["Idempotent-Replayed"] = "true";
        await context.Response.Body.WriteAsync(plaintext, context.RequestAborted);
    }

    private static async Task<bool> TryClaimAsync(NpgsqlDataSource db, Guid merchantId, string key, byte[] fingerprint, CancellationToken cancellationToken)
    {
        await using var claim = db.CreateCommand("""
            INSERT INTO idempotency_records (merchant_id, idempotency_key, request_fingerprint, created_at)
            VALUES ($1, $2, $3, now())
            ON CONFLICT (merchant_id, idempotency_key) DO UPDATE SET request_fingerprint = EXCLUDED.request_fingerprint, created_at = now()
            WHERE idempotency_records.response_status IS NULL AND idempotency_records.created_at < now() - $4
            """);
        claim.Parameters.Add(new NpgsqlParameter { Value = merchantId });
        claim.Parameters.Add(new NpgsqlParameter { Value = key });
        claim.Parameters.Add(new NpgsqlParameter { Value = fingerprint });
        claim.Parameters.Add(new NpgsqlParameter { Value = AbandonedClaim });
        return await claim.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static async Task<(byte[] Fingerprint, int? Status, Dictionary<string, string> Headers, byte[] Body)?> ReadAsync(
        NpgsqlDataSource db, Guid merchantId, string key, CancellationToken cancellationToken)
    {
        await using var read = db.CreateCommand("""
            SELECT request_fingerprint, response_status, response_headers::text, response_body
            FROM idempotency_records WHERE merchant_id = $1 AND idempotency_key = $2
            """);
        read.Parameters.Add(new NpgsqlParameter { Value = merchantId });
        read.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var status = reader.IsDBNull(1) ? (int?)null : reader.GetInt32(1);
        var headers = reader.IsDBNull(2) ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(2)) ?? [];
        var body = reader.IsDBNull(3) ? [] : (byte[])reader[3];
        return ((byte[])reader[0], status, headers, body);
    }

    private static async Task ReleaseAsync(NpgsqlDataSource db, Guid merchantId, string key)
    {
        await using var release = db.CreateCommand("DELETE FROM idempotency_records WHERE merchant_id = $1 AND idempotency_key = $2 AND response_status IS NULL");
        release.Parameters.Add(new NpgsqlParameter { Value = merchantId });
        release.Parameters.Add(new NpgsqlParameter { Value = key });
        await release.ExecuteNonQueryAsync(CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored idempotent response for merchant {MerchantId} cannot be decrypted (retired key?)")]
    private partial void LogUnreadableStoredResponse(Guid merchantId);
}
