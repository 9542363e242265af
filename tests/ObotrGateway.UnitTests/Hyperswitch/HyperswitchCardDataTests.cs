using System.Text;
using System.Text.Json;
using ObotrGateway.Api.Hyperswitch;

namespace ObotrGateway.UnitTests.Hyperswitch;

public sealed class HyperswitchCardDataTests
{
    private const string Pan = "5204730000100003";
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);

    private static byte[] Plain(object card, bool doubleEncoded)
    {
        var json = JsonSerializer.Serialize(card);
        return Encoding.UTF8.GetBytes(doubleEncoded ? JsonSerializer.Serialize(json) : json);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Parse_double_or_single_encoded_card_reads_the_same_card(bool doubleEncoded)
    {
        var card = HyperswitchCardData.Parse(Plain(new { cardNumber = Pan, expMonth = "12", expYear = "2031", cardSecurityCode = "123" }, doubleEncoded),
            Now, out var errors);

        errors.ShouldBeEmpty();
        card.ShouldNotBeNull();
        card.Card.Pan.ShouldBe(Pan);
        card.Card.ExpiryMonth.ShouldBe(12);
        card.Card.ExpiryYear.ShouldBe(2031);
        card.Card.SecurityCode.ShouldBe("123");
        (card.ExpMonth, card.ExpYear).ShouldBe(("12", "2031"));
    }

    [Fact]
    public void Parse_null_empty_or_missing_cvc_has_no_security_code()
    {
        var withNull = HyperswitchCardData.Parse(Plain(new { cardNumber = Pan, expMonth = "1", expYear = "31", cardSecurityCode = (string?)null }, true), Now, out _);
        var withEmpty = HyperswitchCardData.Parse(Plain(new { cardNumber = Pan, expMonth = "1", expYear = "31", cardSecurityCode = "" }, true), Now, out _);
        var without = HyperswitchCardData.Parse(Plain(new { cardNumber = Pan, expMonth = 1, expYear = 31 }, false), Now, out _);

        foreach (var card in new[] { withNull, withEmpty, without })
        {
            card.ShouldNotBeNull();
            card.Card.SecurityCode.ShouldBeNull();
            card.Card.ExpiryYear.ShouldBe(31);
        }

        (without!.ExpMonth, without.ExpYear).ShouldBe(("1", "31"));
    }

    [Theory]
    [InlineData("5204730000100004", "12", "2031", "cardData.cardNumber")]
    [InlineData(Pan, "13", "2031", "cardData.expMonth")]
    [InlineData(Pan, "12", "203", "cardData.expYear")]
    [InlineData(Pan, "11", "2026", "cardData.expYear")]
    public void Parse_card_failing_a_check_names_the_field_without_its_value(string pan, string month, string year, string field)
    {
        var card = HyperswitchCardData.Parse(Plain(new { cardNumber = pan, expMonth = month, expYear = year }, true), Now, out var errors);

        card.ShouldBeNull();
        errors.Keys.ShouldContain(field);
        string.Join(" ", errors.Values.SelectMany(messages => messages)).ShouldNotContain(pan);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("\"not json either\"")]
    [InlineData("[1,2]")]
    [InlineData("42")]
    public void Parse_plaintext_that_is_no_card_object_is_refused_as_card_data(string plaintext)
    {
        HyperswitchCardData.Parse(Encoding.UTF8.GetBytes(plaintext), Now, out var errors).ShouldBeNull();

        errors.Keys.ShouldBe(["cardData"]);
    }
}
