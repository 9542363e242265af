using CsCheck;
using ObotrGateway.Api.Hosting;

namespace ObotrGateway.UnitTests.Hosting;

public sealed class InputTextTests
{
    [Theory]
    [InlineData("JANE ROE")]
    [InlineData("Zoë's café, 😀")]
    [InlineData("tab\tand\r\nnewlines")]
    [InlineData("")]
    public void Acceptable_text_is_accepted(string text) => InputText.IsAcceptable(text).ShouldBeTrue();

    // Not InlineData: xUnit serializes theory data and turns lone surrogates into U+FFFD on the way.
    [Fact]
    public void Nul_controls_and_lone_surrogates_are_refused()
    {
        string[] refused = ["a\0b", "\u0001", "\u007f", "\u0085", "lone \ud800 high", "lone \udc00 low", "reversed \udc00\ud800", "trailing \ud83d"];

        refused.ShouldAllBe(text => !InputText.IsAcceptable(text));
    }

    [Fact]
    public void Any_text_holding_a_nul_is_refused_wherever_the_nul_is() =>
        Gen.Select(Gen.String, Gen.String).Sample((before, after) => !InputText.IsAcceptable(before + "\0" + after), iter: 2_000, seed: Seed(1));

    [Fact]
    public void Any_well_formed_printable_text_survives_percent_encoding_and_decoding() =>
        Gen.String[Gen.Char.AlphaNumeric, 0, 40].Select(Gen.String[Gen.Char['\u00a0', '\ud7ff'], 0, 10], (ascii, wide) => ascii + wide)
            .Sample(text => InputText.IsAcceptable(text) && InputText.Decode(Uri.EscapeDataString(text)) == text, iter: 2_000, seed: Seed(2));

    /// <summary>A fixed CsCheck seed, so a run is repeatable.</summary>
    private static string Seed(ulong value) => new PCG(1, value).ToString();

    [Theory]
    [InlineData("?limit=10&before=gt_abc", null)]
    [InlineData("?q=caf%C3%A9+au+lait", null)]
    [InlineData("?before=gt%00x", "query.before")]
    [InlineData("?before=%FF", "query.before")]
    [InlineData("?before=%ED%A0%80", "query.before")] // an encoded surrogate is not UTF-8
    [InlineData("?before=%C0%80", "query.before")] // overlong NUL
    [InlineData("?a%00=1", "query")]
    [InlineData("?flag", null)]
    [InlineData("?pct=100%", null)] // a stray '%' stays literal, as the framework keeps it
    [InlineData("", null)]
    public void Query_strings_are_read_as_raw_utf8_bytes(string query, string? expected) =>
        InputText.FirstUnacceptableQueryParameter(query).ShouldBe(expected);
}
