using System.ComponentModel;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using MassTransit;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Idempotency;
using ObotrGateway.Api.Merchants;

namespace ObotrGateway.Api.BulkTokenization;

/// <summary>Bulk card-on-file migration: upload a file of cards, follow the job, read its results, cancel it.</summary>
internal static partial class TokenizationJobEndpoints
{
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WaitForFirstUpload = TimeSpan.FromSeconds(30);

    public static RouteGroupBuilder MapTokenizationJobEndpoints(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/v1/tokenization-jobs")
            .RequireAuthorization(MerchantAccess.MerchantPolicy)
            .WithTags("Bulk tokenization")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        // Not .AcceptsIdempotencyKey(): that middleware buffers the body to fingerprint it. The upload honours
        // Idempotency-Key itself, fingerprinting the stream line by line (ADR 0601).
        jobs.MapPost("/", CreateTokenizationJob).WithName("CreateTokenizationJob")
            .WithSummary("Upload cards on file (JSON lines or CSV, streamed) to tokenize in bulk under the merchant's TRID.")
            .WithDescription("Content-Type application/x-ndjson (lines {reference, pan, expiryMonth, expiryYear, cardholderName?}) or text/csv "
                + "(reference,pan,expiryMonth,expiryYear[,cardholderName], optional header row). Up to BulkTokenization:MaxUploadBytes. "
                + "Bad lines become invalid items (line number, reason) and do not stop the job. 202 {jobId}. Accepts Idempotency-Key: "
                + "the same key with the same bytes answers the first job; with other bytes 422 idempotency_key_reused.")
            .Accepts<string>("application/x-ndjson", "text/csv");
        jobs.MapGet("/{jobId:guid}", GetTokenizationJob).WithName("GetTokenizationJob")
            .WithSummary("A job's progress: counts by outcome, current call rate, ETA.")
            .WithDescription("404 tokenization_job_not_found for another merchant's job as for a missing one.");
        jobs.MapGet("/{jobId:guid}/items", ListTokenizationJobItems).WithName("ListTokenizationJobItems")
            .WithSummary("A job's items (reference → gateway token or reason), by line number, by pages.")
            .WithDescription("Filter with status=…; page with after=<nextAfter>. Never a card number: only its last four digits.");
        jobs.MapPost("/{jobId:guid}/cancel", CancelTokenizationJob).WithName("CancelTokenizationJob")
            .WithSummary("Cancel a job: pending items become cancelled (their cards deleted); items in flight finish.")
            .WithDescription("409 tokenization_job_finished when the job is already over. Accepts Idempotency-Key.")
            .AcceptsIdempotencyKey();
        return jobs;
    }

    internal static async Task<Results<Accepted<TokenizationJobAccepted>, ProblemHttpResult>> CreateTokenizationJob(
        HttpContext context, TokenizationJobStore store, BulkCardCodec cards, PanFingerprint fingerprints, ISendEndpointProvider sender, BulkJobDispatcher dispatcher,
        IOptions<BulkTokenizationOptions> options, TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var format = FormatOf(context.Request.ContentType);
        if (format is null)
        {
            // Routing already refuses other types (Accepts metadata); kept so the handler never guesses a format.
            return Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
                "Upload cards as application/x-ndjson or text/csv.");
        }

        var key = context.Request.Headers[IdempotentRequests.HeaderName].ToString();
        if (key.Length > 255 || key.Any(char.IsControl))
        {
            return Problems.Validation("invalid_idempotency_key", "Idempotency-Key must be 1 to 255 printable characters.");
        }

        var settings = options.Value;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = settings.MaxUploadBytes; // this endpoint only; the global limit stays 64 KiB
        }

        var merchant = context.User.GetCallingMerchant();
        var jobId = Guid.CreateVersion7(clock.GetUtcNow());
        using var fingerprint = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        fingerprint.AppendData(Encoding.ASCII.GetBytes(format.Value.ToString() + "\n"));
        if (!await store.TryCreateJobAsync(jobId, merchant, format.Value, key.Length == 0 ? null : key, clock.GetUtcNow(), cancellationToken))
        {
            return await ReplayAsync(context, store, fingerprints, settings, format.Value, merchant, key, fingerprint, clock, cancellationToken);
        }

        var logger = loggers.CreateLogger(typeof(TokenizationJobEndpoints));
        long total = 0, invalid = 0;
        try
        {
            var batch = new List<BulkLine>(settings.InsertBatchSize);
            await foreach (var line in BulkUploadParser.ReadAsync(context.Request.BodyReader, format.Value, settings.MaxLineBytes, clock.GetUtcNow(),
                               fingerprints.OfBytes, fingerprint, cancellationToken))
            {
                total++;
                batch.Add(line);
                if (batch.Count >= settings.InsertBatchSize)
                {
                    invalid += await store.InsertBatchAsync(jobId, batch, item => cards.Protect(jobId, item.LineNumber, item.Card!), cancellationToken);
                    batch.Clear();
                }
            }

            invalid += await store.InsertBatchAsync(jobId, batch, item => cards.Protect(jobId, item.LineNumber, item.Card!), cancellationToken);
        }
        catch (Exception exception) when (exception is BadHttpRequestException or OperationCanceledException or IOException or UploadAbandonedException)
        {
            await store.MarkUploadFailedAsync(jobId);
            LogUploadFailed(logger, jobId, exception.GetType().Name);
            return exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                ? Problems.Create(StatusCodes.Status413PayloadTooLarge, "upload_too_large", "The upload is larger than this gateway accepts.",
                    "Split it into several jobs. Nothing of this upload was kept.")
                : UploadIncomplete();
        }

        if (total == 0)
        {
            await store.DeleteJobAsync(jobId);
            return Problems.Validation("empty_upload", "The upload holds no card lines.");
        }

        if (!await store.MarkUploadedAsync(jobId, total, invalid, fingerprint.GetHashAndReset(), CancellationToken.None))
        {
            // The recovery pass gave the upload up (it stalled too long) and deleted what it had stored.
            LogUploadFailed(logger, jobId, nameof(UploadAbandonedException));
            return UploadIncomplete();
        }

        var workers = (int)Math.Clamp(total - invalid, 1, settings.WorkersPerJob);
        // Should the process die before this, the job stays without workers; the recovery pass (BulkJobRecovery) sends them.
        await dispatcher.StartWorkersAsync(sender, jobId, workers);
        await store.MarkWorkersSentAsync(jobId, sent: true);

        LogJobAccepted(logger, jobId, total, invalid);
        return TypedResults.Accepted($"/v1/tokenization-jobs/{jobId}", new TokenizationJobAccepted(jobId, JobStatuses.Running, total, invalid));
    }

    /// <summary>The key was used before: read this body to the end for its fingerprint, then answer as the first upload did.</summary>
    private static async Task<Results<Accepted<TokenizationJobAccepted>, ProblemHttpResult>> ReplayAsync(HttpContext context, TokenizationJobStore store,
        PanFingerprint fingerprints, BulkTokenizationOptions settings, BulkFormat format, CallingMerchant merchant, string key, IncrementalHash fingerprint,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        await foreach (var _ in BulkUploadParser.ReadAsync(context.Request.BodyReader, format, settings.MaxLineBytes, clock.GetUtcNow(),
                           fingerprints.OfBytes, fingerprint, cancellationToken))
        {
            // only the fingerprint is wanted
        }

        var ours = fingerprint.GetHashAndReset();
        var deadline = clock.GetUtcNow() + WaitForFirstUpload;
        while (true)
        {
            var first = await store.FindJobByIdempotencyKeyAsync(merchant.MerchantId, key, cancellationToken);
            if (first is { Status: not JobStatuses.Uploading })
            {
                if (!first.RequestFingerprint.AsSpan().SequenceEqual(ours))
                {
                    return Problems.Create(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused",
                        "This Idempotency-Key was used with a different request.",
                        "Use a new key for a new upload; reuse a key only to retry the identical upload.");
                }

                context.Response.Headers["Idempotent-Replayed"] = "true";
                return TypedResults.Accepted($"/v1/tokenization-jobs/{first.Id}",
                    new TokenizationJobAccepted(first.Id, first.Status, first.TotalLines, first.InvalidLines));
            }

            if (clock.GetUtcNow() > deadline)
            {
                return Problems.Create(StatusCodes.Status409Conflict, "idempotency_request_in_progress",
                    "An upload with this Idempotency-Key is still being received.", "Retry later with the same key.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), clock, cancellationToken);
        }
    }

    internal static async Task<Results<Ok<TokenizationJobView>, ProblemHttpResult>> GetTokenizationJob(
        Guid jobId, HttpContext context, TokenizationJobStore store, CancellationToken cancellationToken)
    {
        var job = await store.FindJobAsync(context.User.GetCallingMerchant().MerchantId, jobId, cancellationToken);
        return job is null ? NotFound() : TypedResults.Ok(await ViewAsync(store, job, cancellationToken));
    }

    internal static async Task<Results<Ok<TokenizationJobItemPage>, ProblemHttpResult>> ListTokenizationJobItems(
        Guid jobId, HttpContext context, TokenizationJobStore store, CancellationToken cancellationToken,
        [Description("Only items in this status.")] string? status = null,
        [Description("The previous page's nextAfter: items after that line number.")] long? after = null,
        [Description("Page size, 1 to 1000 (default 100).")] int? limit = null)
    {
        if (status is not null && !ItemStatuses.All.Contains(status))
        {
            return Problems.Validation("invalid_item_status", "status must be one of: " + string.Join(", ", ItemStatuses.All) + ".");
        }

        if (await store.FindJobAsync(context.User.GetCallingMerchant().MerchantId, jobId, cancellationToken) is null)
        {
            return NotFound();
        }

        var size = Math.Clamp(limit ?? 100, 1, 1000);
        var rows = await store.ItemsAsync(jobId, status, Math.Max(after ?? 0, 0), size + 1, cancellationToken);
        var items = rows.Take(size).Select(TokenizationJobItemView.Of).ToList();
        return TypedResults.Ok(new TokenizationJobItemPage(items, rows.Count > size ? items[^1].LineNumber : null));
    }

    internal static async Task<Results<Accepted<TokenizationJobView>, ProblemHttpResult>> CancelTokenizationJob(
        Guid jobId, HttpContext context, TokenizationJobStore store, CancellationToken cancellationToken)
    {
        var merchantId = context.User.GetCallingMerchant().MerchantId;
        var job = await store.FindJobAsync(merchantId, jobId, cancellationToken);
        if (job is null)
        {
            return NotFound();
        }

        if (job.Status is not (JobStatuses.Running or JobStatuses.Uploading))
        {
            return Problems.Create(StatusCodes.Status409Conflict, "tokenization_job_finished", "The job is already over.",
                $"Its status is {job.Status}; nothing was changed.");
        }

        await store.CancelAsync(jobId, cancellationToken);
        job = (await store.FindJobAsync(merchantId, jobId, cancellationToken))!;
        return TypedResults.Accepted($"/v1/tokenization-jobs/{jobId}", await ViewAsync(store, job, cancellationToken));
    }

    private static async Task<TokenizationJobView> ViewAsync(TokenizationJobStore store, JobRow job, CancellationToken cancellationToken)
    {
        var counts = await store.CountsAsync(job.Id, cancellationToken);
        var remaining = counts[ItemStatuses.Pending] + counts[ItemStatuses.InProgress];
        var rate = job.Status == JobStatuses.Running ? await store.RecentRateAsync(job.Id, RateWindow, cancellationToken) : 0;
        return new TokenizationJobView(job.Id, job.Status, job.Format, job.TotalLines, job.InvalidLines, counts, remaining, Math.Round(rate, 2),
            rate > 0 ? Math.Round(remaining / rate, 1) : null, job.CreatedAt, job.StartedAt, job.FinishedAt, job.CancelRequestedAt);
    }

    private static BulkFormat? FormatOf(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) ? media.MediaType?.ToLowerInvariant() switch
        {
            "application/x-ndjson" => BulkFormat.Ndjson,
            "text/csv" => BulkFormat.Csv,
            _ => null,
        } : null;

    private static ProblemHttpResult UploadIncomplete() =>
        Problems.Validation("upload_incomplete", "The upload broke off before its end. Nothing of it was kept; send it again.");

    private static ProblemHttpResult NotFound() =>
        Problems.Create(StatusCodes.Status404NotFound, "tokenization_job_not_found", "No such tokenization job.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Tokenization job {JobId} accepted: {TotalLines} lines, {InvalidLines} invalid")]
    private static partial void LogJobAccepted(ILogger logger, Guid jobId, long totalLines, long invalidLines);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tokenization job {JobId} upload failed ({ExceptionType}); its items were deleted")]
    private static partial void LogUploadFailed(ILogger logger, Guid jobId, string exceptionType);
}
