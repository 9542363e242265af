using System.Text;
using ObotrGateway.Api.Mdes.Wire;

namespace ObotrGateway.UnitTests.Mdes.Wire;

public sealed class StrictJsonTests
{
    [Theory]
    [InlineData("""{"a":1,"b":[{"a":2},{"a":3}],"c":{"a":"x"}}""")]
    [InlineData("""{"emoji":"\ud83d\ude00","text":"caf\u00e9"}""")]
    [InlineData("[]")]
    public void Problem_wellFormedJson_isNone(string json) => StrictJson.Problem(Encoding.UTF8.GetBytes(json)).ShouldBeNull();

    [Theory]
    [InlineData("""{"a":1,"a":2}""", StrictJson.DuplicateMember)]
    [InlineData("""{"x":{"tokens":[],"tokens":[null]}}""", StrictJson.DuplicateMember)]
    [InlineData("""{"a":"\ud800"}""", StrictJson.InvalidUnicode)]
    [InlineData("""{"\udc00":1}""", StrictJson.InvalidUnicode)]
    [InlineData("""{"a":"x\u0000y"}""", StrictJson.NulCharacter)]
    [InlineData("""{"a\u0000":1}""", StrictJson.NulCharacter)]
    [InlineData("""{"a":1} trailing""", StrictJson.Malformed)]
    [InlineData("""{"a":""", StrictJson.Malformed)]
    public void Problem_hostileJson_namesTheRule(string json, string problem) =>
        StrictJson.Problem(Encoding.UTF8.GetBytes(json)).ShouldBe(problem);

    [Fact]
    public void Problem_invalidUtf8_isInvalidUnicode() =>
        StrictJson.Problem([.. "{\"a\":\""u8, 0xC3, 0x28, .. "\"}"u8]).ShouldBe(StrictJson.InvalidUnicode);

    [Fact]
    public void Problem_nestingBeyondTheLimit_isMalformed() =>
        StrictJson.Problem(Encoding.UTF8.GetBytes(new string('[', StrictJson.MaxDepth + 1) + new string(']', StrictJson.MaxDepth + 1)))
            .ShouldBe(StrictJson.Malformed);
}
