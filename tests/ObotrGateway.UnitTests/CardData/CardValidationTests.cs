using ObotrGateway.Api.CardData;

namespace ObotrGateway.UnitTests.CardData;

public sealed class CardValidationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("5555555555554444", true)]
    [InlineData("5105105105105100", true)]
    [InlineData("4111111111111111", true)]
    [InlineData("5555555555554445", false)]
    [InlineData("0", true)]
    public void LuhnValid_matches_the_check_digit(string digits, bool expected) => CardValidation.LuhnValid(digits).ShouldBe(expected);

    [Fact]
    public void A_good_card_has_no_errors() =>
        CardValidation.Validate("5555555555554444", 12, 2030, "123", Now).ShouldBeEmpty();

    [Theory]
    [InlineData("55555555555", "card.pan")]           // 11 digits
    [InlineData("55555555555544441234", "card.pan")]  // 20 digits
    [InlineData("5555 5555 5555 4444", "card.pan")]
    [InlineData("5555555555554445", "card.pan")]      // Luhn
    public void Bad_pans_are_refused(string pan, string field) =>
        CardValidation.Validate(pan, 12, 2030, null, Now).Keys.ShouldBe([field]);

    [Theory]
    [InlineData(0, 2030, "card.expiryMonth")]
    [InlineData(13, 2030, "card.expiryMonth")]
    [InlineData(10, 2026, "card.expiryYear")] // expired last month
    [InlineData(12, 1999, "card.expiryYear")]
    public void Bad_or_past_expiry_is_refused(int month, int year, string field) =>
        CardValidation.Validate("5555555555554444", month, year, null, Now).Keys.ShouldBe([field]);

    [Fact]
    public void The_current_month_is_not_expired_and_two_digit_years_are_accepted() =>
        CardValidation.Validate("5555555555554444", 11, 26, null, Now).ShouldBeEmpty();

    [Fact]
    public void Error_messages_never_repeat_the_pan()
    {
        var errors = CardValidation.Validate("5555555555554445", 12, 2030, "12a", Now);

        errors.Values.SelectMany(messages => messages).ShouldAllBe(message => !message.Contains("5555"));
    }
}
