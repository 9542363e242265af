using System.ComponentModel;

namespace ObotrGateway.Api.BulkTokenization;

internal sealed record TokenizationJobAccepted(
    [property: Description("Id of the job; poll GET /v1/tokenization-jobs/{jobId}.")] Guid JobId,
    [property: Description("running (queued for the workers).")] string Status,
    [property: Description("Lines read, blank lines and a CSV header excluded.")] long TotalLines,
    [property: Description("Lines refused at upload (see items?status=invalid for line numbers and reasons).")] long InvalidLines);

internal sealed record TokenizationJobView(
    Guid JobId,
    [property: Description("uploading, running, completed, cancelled or failed (the upload broke off; nothing is processed).")] string Status,
    [property: Description("ndjson or csv.")] string Format,
    long TotalLines,
    long InvalidLines,
    [property: Description("Items by status: pending, in_progress, provisioned, declined, ineligible, skipped_ineligible_range, rejected, failed, cancelled, invalid.")]
    IReadOnlyDictionary<string, long> Counts,
    [property: Description("Items not yet done (pending or in progress).")] long Remaining,
    [property: Description("MDES calls per second over the last few seconds.")] double CurrentRate,
    [property: Description("Seconds until done at the current rate; null when nothing is moving.")] double? EtaSeconds,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? CancelRequestedAt);

internal sealed record TokenizationJobItemView(
    [property: Description("1-based line of the upload.")] long LineNumber,
    [property: Description("The merchant's reference from the line (absent when the line could not be read).")] string? Reference,
    [property: Description("pending, in_progress, provisioned, declined, ineligible, skipped_ineligible_range, rejected, failed, cancelled or invalid.")]
    string Status,
    [property: Description("Why the item is not provisioned: an upload reason (e.g. luhn_check_failed, duplicate_reference) or an MDES one.")] string? ReasonCode,
    [property: Description("Last four digits of the card.")] string? PanSuffix,
    [property: Description("The gateway token (gt_…) of a provisioned item.")] string? GatewayToken,
    DateTimeOffset? CompletedAt)
{
    public static TokenizationJobItemView Of(ItemRow row) =>
        new(row.LineNumber, row.Reference, row.Status, row.ReasonCode, row.PanSuffix, row.GatewayToken, row.CompletedAt);
}

internal sealed record TokenizationJobItemPage(
    IReadOnlyList<TokenizationJobItemView> Items,
    [property: Description("Pass as after= for the next page; null on the last page.")] long? NextAfter);
