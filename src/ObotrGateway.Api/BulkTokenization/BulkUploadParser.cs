using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ObotrGateway.Api.CardData;

namespace ObotrGateway.Api.BulkTokenization;

internal enum BulkFormat
{
    Ndjson,
    Csv,
}

/// <summary>One line of an upload: a card to tokenize, or the reason it will not be (never both).</summary>
internal sealed record BulkLine(long LineNumber, string? Reference, CardInput? Card, string? ReasonCode)
{
    public override string ToString() => $"line {LineNumber}"; // never the card
}

/// <summary>Reason codes of lines refused at upload (docs/bulk-tokenization.md).</summary>
internal static class BulkLineReasons
{
    public const string MalformedLine = "malformed_line";
    public const string LineTooLong = "line_too_long";
    public const string MissingReference = "missing_reference";
    public const string InvalidReference = "invalid_reference";
    public const string InvalidPan = "invalid_pan";
    public const string LuhnCheckFailed = "luhn_check_failed";
    public const string InvalidExpiry = "invalid_expiry";
    public const string CardExpired = "card_expired";
    public const string InvalidCardholderName = "invalid_cardholder_name";
    public const string DuplicateReference = "duplicate_reference";
}

/// <summary>
/// Reads an upload line by line straight off the request's <see cref="PipeReader"/>: at most one line (capped at
/// <c>maxLineBytes</c>) is held at a time, so a million-row file never sits in memory. A bad line becomes a
/// <see cref="BulkLine"/> with a reason code; nothing a line holds is ever put into an exception or a log.
/// </summary>
internal static class BulkUploadParser
{
    public const int MaxReferenceLength = 128;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, // strict like every merchant body (ADR 0704): a line with an unknown member is malformed_line
    };

    /// <summary>The upload's lines in order. <c>fingerprint</c> is fed a keyed digest of every line, so a retried upload can be recognised.</summary>
    public static async IAsyncEnumerable<BulkLine> ReadAsync(PipeReader reader, BulkFormat format, int maxLineBytes, DateTimeOffset now,
        Func<ReadOnlySpan<byte>, byte[]> keyedDigest, IncrementalHash fingerprint, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long lineNumber = 0;
        var skippingLongLine = false;
        var lines = new List<BulkLine>();
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            lines.Clear();
            while (buffer.PositionOf((byte)'\n') is { } newline)
            {
                var line = buffer.Slice(0, newline);
                buffer = buffer.Slice(buffer.GetPosition(1, newline));
                lineNumber++;
                if (skippingLongLine)
                {
                    skippingLongLine = false;
                    lines.Add(new BulkLine(lineNumber, null, null, BulkLineReasons.LineTooLong));
                }
                else if (line.Length > maxLineBytes)
                {
                    lines.Add(new BulkLine(lineNumber, null, null, BulkLineReasons.LineTooLong));
                }
                else if (Parse(line, lineNumber, format, now, keyedDigest, fingerprint) is { } parsed)
                {
                    lines.Add(parsed);
                }
            }

            if (buffer.Length > maxLineBytes)
            {
                // No newline within the limit: drop what we hold and the rest of this line as it arrives.
                skippingLongLine = true;
                buffer = buffer.Slice(buffer.End);
            }

            if (result.IsCompleted && buffer.Length > 0 && !skippingLongLine)
            {
                lineNumber++;
                if (Parse(buffer, lineNumber, format, now, keyedDigest, fingerprint) is { } last)
                {
                    lines.Add(last);
                }

                buffer = buffer.Slice(buffer.End);
            }
            else if (result.IsCompleted && skippingLongLine)
            {
                lineNumber++;
                lines.Add(new BulkLine(lineNumber, null, null, BulkLineReasons.LineTooLong));
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            foreach (var line in lines)
            {
                yield return line;
            }

            if (result.IsCompleted)
            {
                yield break;
            }
        }
    }

    /// <summary>Null for a blank line or a CSV header; otherwise the parsed, validated line.</summary>
    internal static BulkLine? Parse(ReadOnlySequence<byte> raw, long lineNumber, BulkFormat format, DateTimeOffset now,
        Func<ReadOnlySpan<byte>, byte[]> keyedDigest, IncrementalHash fingerprint)
    {
        ReadOnlySpan<byte> bytes = raw.IsSingleSegment ? raw.FirstSpan : raw.ToArray();
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        fingerprint.AppendData(keyedDigest(bytes));
        if (bytes.Trim((byte)' ').IsEmpty)
        {
            return null;
        }

        return format == BulkFormat.Ndjson ? ParseJson(bytes, lineNumber, now) : ParseCsv(bytes, lineNumber, now);
    }

    private static BulkLine ParseJson(ReadOnlySpan<byte> bytes, long lineNumber, DateTimeOffset now)
    {
        JsonCardLine? line;
        try
        {
            line = JsonSerializer.Deserialize<JsonCardLine>(bytes, JsonOptions);
        }
        catch (JsonException)
        {
            line = null;
        }

        return line is null
            ? new BulkLine(lineNumber, null, null, BulkLineReasons.MalformedLine)
            : Validate(lineNumber, line.Reference, line.Pan, line.ExpiryMonth, line.ExpiryYear, line.CardholderName, now);
    }

    private static BulkLine? ParseCsv(ReadOnlySpan<byte> bytes, long lineNumber, DateTimeOffset now)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return new BulkLine(lineNumber, null, null, BulkLineReasons.MalformedLine);
        }

        var fields = SplitCsv(text);
        if (fields is null || fields.Count is < 4 or > 5)
        {
            return new BulkLine(lineNumber, null, null, BulkLineReasons.MalformedLine);
        }

        if (lineNumber == 1 && fields[0].Trim().Equals("reference", StringComparison.OrdinalIgnoreCase))
        {
            return null; // header row
        }

        return Validate(lineNumber, fields[0], fields[1].Trim(), ParseInt(fields[2]), ParseInt(fields[3]),
            fields.Count == 5 && fields[4].Trim().Length > 0 ? fields[4].Trim() : null, now);
    }

    private static int? ParseInt(string field) =>
        int.TryParse(field.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>RFC 4180 fields: commas, optional double quotes, "" for a quote inside quotes. Null when a quote is left open.</summary>
    internal static List<string>? SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"' && current.ToString().Trim().Length == 0)
            {
                current.Clear();
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (quoted)
        {
            return null;
        }

        fields.Add(current.ToString());
        return fields;
    }

    internal static BulkLine Validate(long lineNumber, string? reference, string? pan, int? expiryMonth, int? expiryYear, string? cardholderName,
        DateTimeOffset now)
    {
        reference = reference?.Trim();
        if (string.IsNullOrEmpty(reference))
        {
            return new BulkLine(lineNumber, null, null, BulkLineReasons.MissingReference);
        }

        if (reference.Length > MaxReferenceLength || reference.Any(char.IsControl))
        {
            return new BulkLine(lineNumber, null, null, BulkLineReasons.InvalidReference);
        }

        var errors = CardValidation.Validate(pan, expiryMonth, expiryYear, securityCode: null, now);
        string? reason = null;
        if (errors.TryGetValue("card.pan", out var panErrors))
        {
            reason = panErrors[0].StartsWith("Fails the Luhn", StringComparison.Ordinal) ? BulkLineReasons.LuhnCheckFailed : BulkLineReasons.InvalidPan;
        }
        else if (errors.ContainsKey("card.expiryMonth"))
        {
            reason = BulkLineReasons.InvalidExpiry;
        }
        else if (errors.TryGetValue("card.expiryYear", out var yearErrors))
        {
            reason = yearErrors[0].Contains("expired", StringComparison.Ordinal) ? BulkLineReasons.CardExpired : BulkLineReasons.InvalidExpiry;
        }
        else if (cardholderName is { Length: > 27 } || cardholderName?.Any(char.IsControl) == true)
        {
            reason = BulkLineReasons.InvalidCardholderName;
        }

        return reason is not null
            ? new BulkLine(lineNumber, reference, null, reason)
            : new BulkLine(lineNumber, reference, new CardInput(pan!, expiryMonth!.Value, CardValidation.NormalizeYear(expiryYear!.Value), null,
                cardholderName, null), null);
    }

    private sealed record JsonCardLine(string? Reference, string? Pan, int? ExpiryMonth, int? ExpiryYear, string? CardholderName);
}
