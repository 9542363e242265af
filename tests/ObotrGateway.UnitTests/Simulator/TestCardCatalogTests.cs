using ObotrGateway.MdesSimulator.TestCards;

namespace ObotrGateway.UnitTests.Simulator;

public sealed class TestCardCatalogTests
{
    [Fact]
    public void ExamplePans_areLuhnValidMastercardsInTheirOwnRange()
    {
        foreach (var range in TestCardCatalog.Ranges)
        {
            Luhn.IsValid(range.ExamplePan).ShouldBeTrue(range.ExamplePan);
            TestCardCatalog.IsMastercard(range.ExamplePan).ShouldBeTrue();
            TestCardCatalog.Classify(range.ExamplePan).ShouldBe(range);
        }
    }

    [Theory]
    [InlineData("52047300001", "Approved")]
    [InlineData("52047300002", "RequireAdditionalAuthentication")]
    [InlineData("52047300003", "Declined")]
    [InlineData("52047300004", "Ineligible")]
    [InlineData("52047300005", "SlowIssuer")]
    [InlineData("52047300006", "IssuerError")]
    public void Classify_anyPanInAnElevenDigitRange_getsTheRangesBehaviour(string prefix, string behaviour)
    {
        foreach (var middle in new[] { "0000", "1234", "9999", "5555" })
        {
            var body = prefix + middle;
            TestCardCatalog.Classify(body + Luhn.CheckDigit(body)).Behaviour.ShouldBe(Enum.Parse<IssuerBehaviour>(behaviour));
        }
    }

    [Theory]
    [InlineData("5555444433331111", "Approved")]
    [InlineData("2223000048400011", "Approved")]
    [InlineData("4111111111111111", "Ineligible")]
    [InlineData("5204730000100004", "InvalidPan")]
    [InlineData("52047300001", "InvalidPan")]
    public void Classify_outsideTheTable_followsTheFallbackRules(string pan, string behaviour)
    {
        TestCardCatalog.Classify(pan).Behaviour.ShouldBe(Enum.Parse<IssuerBehaviour>(behaviour));
    }

    [Fact]
    public void MarkdownTable_listsEveryRange()
    {
        var table = TestCardCatalog.MarkdownTable();

        foreach (var range in TestCardCatalog.Ranges)
        {
            table.ShouldContain(range.Prefix);
        }
    }
}
