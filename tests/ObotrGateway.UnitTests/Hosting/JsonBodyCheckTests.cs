using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Payments;
using ObotrGateway.Api.TokenLifecycle;

namespace ObotrGateway.UnitTests.Hosting;

public sealed class JsonBodyCheckTests
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    private static BodyFinding? Check<T>(string json) => JsonBodyCheck.Check(Encoding.UTF8.GetBytes(json), Options.GetTypeInfo(typeof(T)));

    [Fact]
    public void Body_with_known_members_in_any_case_passes() =>
        Check<CreatePaymentRequest>("""{"GatewayToken":"gt_1","amount":100,"currency":"EUR","card":null,"storeCard":false}""").ShouldBeNull();

    [Theory]
    [InlineData("""{"gatewayToken":"gt_1","tokenize":true}""", "tokenize")]
    [InlineData("""{"card":{"pan":"1","cvv":"123"}}""", "card.cvv")]
    [InlineData("""{"card":{"billingAddress":{"line1":"x","planet":"Mars"}}}""", "card.billingAddress.planet")]
    public void Unknown_member_is_found_with_its_path(string json, string field)
    {
        var finding = Check<CreatePaymentRequest>(json);

        finding.ShouldNotBeNull();
        finding.Code.ShouldBe(JsonBodyCheck.UnknownField);
        finding.Field.ShouldBe(field);
    }

    [Fact]
    public void Object_where_the_type_expects_text_is_left_to_the_binder() =>
        Check<LifecycleBatchRequest>("""{"gatewayTokens":["gt_1",{"x":1}],"reason":"r"}""").ShouldBeNull(); // the binder reports the type error with its path

    [Fact]
    public void Member_twice_in_any_case_is_a_duplicate() =>
        Check<CreatePaymentRequest>("""{"amount":1,"Amount":2}""")!.Code.ShouldBe(JsonBodyCheck.DuplicateField);

    [Theory]
    [InlineData("""{"reasonCode":"OTHER\u0000"}""", "reasonCode")]
    [InlineData("""{"reasonCode":"\ud800"}""", "reasonCode")]
    [InlineData("""{"gatewayTokens":["ok","\udfff"]}""", "gatewayTokens[1]")]
    [InlineData("""{"reason":"\u001b[31m"}""", "reason")]
    public void Nul_control_or_lone_surrogate_in_a_string_is_found_with_its_path(string json, string field)
    {
        var finding = Check<LifecycleBatchRequest>(json);

        finding.ShouldNotBeNull();
        finding.Code.ShouldBe(JsonBodyCheck.InvalidCharacters);
        finding.Field.ShouldBe(field);
    }

    [Fact]
    public void Invalid_utf8_inside_a_string_is_found()
    {
        byte[] body = [.. "{\"reason\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        JsonBodyCheck.Check(body, Options.GetTypeInfo(typeof(LifecycleChangeRequest)))!.Code.ShouldBe(JsonBodyCheck.InvalidCharacters);
    }

    [Theory]
    [InlineData("""{"reason":""")]
    [InlineData("""{"reason":"a"} {}""")]
    [InlineData("""{'reason':'a'}""")]
    [InlineData("""{"reason":"a",}""")]
    [InlineData("""[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]""")]
    public void Malformed_json_is_found(string json) =>
        Check<LifecycleChangeRequest>(json)!.Code.ShouldBe(JsonBodyCheck.Malformed);

    [Fact]
    public void Member_of_a_type_without_members_is_unknown() =>
        Check<ObotrGateway.Api.NetworkTokens.CryptogramRequest>("""{"amount":100}""")!.Field.ShouldBe("amount");
}
