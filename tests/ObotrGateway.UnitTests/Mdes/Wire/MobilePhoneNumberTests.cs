using System.Text.Json;
using ObotrGateway.Api.Mdes.Wire;

namespace ObotrGateway.UnitTests.Mdes.Wire;

public class MobilePhoneNumberTests
{
    [Fact]
    public void Serialize_phoneNumber_writesTheSpecsNumbers()
    {
        var json = JsonSerializer.Serialize(new MobilePhoneNumber { CountryDialInCode = "+44", PhoneNumber = "07777 777 777" }, MdesJson.Options);

        json.ShouldBe("""{"countryDialInCode":44,"phoneNumber":7777777777}""");
    }

    [Theory]
    [InlineData("""{"countryDialInCode":44,"phoneNumber":7777777777}""")]
    [InlineData("""{"countryDialInCode":"44","phoneNumber":"7777777777"}""")]
    public void Deserialize_phoneNumber_readsNumbersAndStrings(string json)
    {
        var phone = JsonSerializer.Deserialize<MobilePhoneNumber>(json, MdesJson.Options)!;

        (phone.CountryDialInCode, phone.PhoneNumber).ShouldBe(("44", "7777777777"));
    }

    [Theory]
    [InlineData("call me")]
    [InlineData("000")]
    public void Serialize_phoneNumberWithoutDigits_refusesToWriteIt(string value) =>
        Should.Throw<JsonException>(() => JsonSerializer.Serialize(new MobilePhoneNumber { PhoneNumber = value }, MdesJson.Options));
}
