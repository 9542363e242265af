using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using ObotrGateway.Api.BulkTokenization;

namespace ObotrGateway.UnitTests.BulkTokenization;

public sealed class BulkUploadParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
    private const string Pan = "5555555555554444";

    private static async Task<List<BulkLine>> ParseAsync(string upload, BulkFormat format, int maxLineBytes = 4096, int chunk = 7)
    {
        var pipe = new Pipe();
        var bytes = Encoding.UTF8.GetBytes(upload);
        // Written in small chunks so lines straddle reads, as they do on a real connection.
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            await pipe.Writer.WriteAsync(bytes.AsMemory(offset, Math.Min(chunk, bytes.Length - offset)));
        }

        await pipe.Writer.CompleteAsync();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var lines = new List<BulkLine>();
        await foreach (var line in BulkUploadParser.ReadAsync(pipe.Reader, format, maxLineBytes, Now, data => SHA256.HashData(data), hash,
                           CancellationToken.None))
        {
            lines.Add(line);
        }

        return lines;
    }

    [Fact]
    public async Task Csv_withHeaderQuotesAndCrlf_ReadsCardsWithPhysicalLineNumbers()
    {
        var lines = await ParseAsync($"reference,pan,expiryMonth,expiryYear,cardholderName\r\nr1,{Pan},12,2031,\"ROE, \"\"JJ\"\" JANE\"\r\n\r\nr2,{Pan},1,31", BulkFormat.Csv);

        lines.Select(line => line.LineNumber).ShouldBe([2L, 4L]);
        lines[0].Reference.ShouldBe("r1");
        lines[0].Card!.CardholderName.ShouldBe("ROE, \"JJ\" JANE");
        lines[1].Card!.ExpiryYear.ShouldBe(2031);
        lines.ShouldAllBe(line => line.ReasonCode == null);
    }

    [Theory]
    [InlineData("r1,5555555555554445,12,2031", "luhn_check_failed")]
    [InlineData("r1,55555555,12,2031", "invalid_pan")]
    [InlineData("r1,5555555555554444,13,2031", "invalid_expiry")]
    [InlineData("r1,5555555555554444,10,2026", "card_expired")]
    [InlineData(",5555555555554444,12,2031", "missing_reference")]
    [InlineData("r1,5555555555554444,12", "malformed_line")]
    [InlineData("r1,\"5555555555554444,12,2031", "malformed_line")]
    [InlineData("r1,5555555555554444,12,2031,A NAME LONGER THAN TWENTY-SEVEN", "invalid_cardholder_name")]
    public async Task Csv_badLine_GetsItsReasonAndNoCard(string line, string reason)
    {
        var parsed = (await ParseAsync(line, BulkFormat.Csv)).ShouldHaveSingleItem();

        parsed.ReasonCode.ShouldBe(reason);
        parsed.Card.ShouldBeNull();
    }

    [Fact]
    public async Task Ndjson_lines_with_an_unknown_member_or_unencodable_text_are_invalid()
    {
        var upload = $$"""
            {"reference":"a","pan":"{{Pan}}","expiryMonth":12,"expiryYear":2031,"tokenizeLater":true}
            {"reference":"b\ud800","pan":"{{Pan}}","expiryMonth":12,"expiryYear":2031}
            {"reference":"c","pan":"{{Pan}}","expiryMonth":12,"expiryYear":2031,"cardholderName":"J\udfffNE"}
            """;

        var lines = await ParseAsync(upload, BulkFormat.Ndjson);

        // A lone surrogate does not deserialize at all, so it never reaches the database either.
        lines.Select(line => line.ReasonCode).ShouldBe(["malformed_line", "malformed_line", "malformed_line"]);
    }

    [Fact]
    public async Task Ndjson_goodAndMalformedLines_AreEachReported()
    {
        var upload = $$"""
            {"reference":"a","pan":"{{Pan}}","expiryMonth":12,"expiryYear":2031}
            {"reference":"b","pan":"{{Pan}}","expiryMonth":"07","expiryYear":"2030","cardholderName":"JANE"}
            not json
            {"pan":"{{Pan}}","expiryMonth":12,"expiryYear":2031}
            """;

        var lines = await ParseAsync(upload, BulkFormat.Ndjson);

        lines.Select(line => line.ReasonCode).ShouldBe([null, null, "malformed_line", "missing_reference"]);
        lines[1].Card!.ExpiryMonth.ShouldBe(7);
        lines[1].Card!.CardholderName.ShouldBe("JANE");
    }

    [Fact]
    public async Task Line_longerThanTheLimit_IsRefusedWithoutStoppingTheRest()
    {
        var upload = $"r1,{Pan},12,2031,{new string('X', 500)}\nr2,{Pan},12,2031\n{new string('Y', 1000)}";

        var lines = await ParseAsync(upload, BulkFormat.Csv, maxLineBytes: 128);

        lines.Select(line => (line.LineNumber, line.ReasonCode)).ShouldBe([(1L, "line_too_long"), (2L, (string?)null), (3L, "line_too_long")]);
    }

    [Fact]
    public async Task BulkLine_ToString_NeverShowsTheCard()
    {
        var line = (await ParseAsync($"r1,{Pan},12,2031", BulkFormat.Csv)).ShouldHaveSingleItem();

        line.ToString().ShouldNotContain(Pan);
        line.Card!.ToString().ShouldNotContain(Pan);
    }
}
