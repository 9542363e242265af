using ObotrGateway.Api.Payments;

namespace ObotrGateway.UnitTests.Payments;

public sealed class CurrenciesTests
{
    [Theory]
    [InlineData("EUR")]
    [InlineData("USD")]
    [InlineData("JPY")]
    [InlineData("XOF")]
    [InlineData("ZWG")]
    public void Active_iso4217_codes_are_accepted(string code) => Currencies.IsActive(code).ShouldBeTrue();

    [Theory]
    [InlineData("eur")] // codes are upper case
    [InlineData("ABC")] // never assigned
    [InlineData("HRK")] // withdrawn 2023 (euro)
    [InlineData("XAU")] // gold, not a currency a card is charged in
    [InlineData("XTS")] // reserved for testing
    [InlineData("USN")] // fund code
    [InlineData("EURO")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_codes_are_refused(string? code) => Currencies.IsActive(code).ShouldBeFalse();

    [Fact]
    public void Upper_bound_of_an_amount_is_twelve_digits() => Currencies.MaxAmount.ToString(System.Globalization.CultureInfo.InvariantCulture).Length.ShouldBe(12);
}
