using ObotrGateway.Api.Merchants;

namespace ObotrGateway.UnitTests.Merchants;

public sealed class ApiKeysTests
{
    [Fact]
    public void NewKey_is_random_prefixed_and_url_safe()
    {
        var keys = Enumerable.Range(0, 100).Select(_ => ApiKeys.NewKey()).ToList();

        keys.Distinct().Count().ShouldBe(100);
        keys.ShouldAllBe(key => key.StartsWith("obk_") && key.Length == 47 && ApiKeys.LooksLikeKey(key));
        keys.ShouldAllBe(key => key.Skip(4).All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'));
    }

    [Fact]
    public void Hash_is_stable_and_differs_between_keys()
    {
        var key = ApiKeys.NewKey();

        ApiKeys.HashesEqual(ApiKeys.Hash(key), ApiKeys.Hash(key)).ShouldBeTrue();
        ApiKeys.HashesEqual(ApiKeys.Hash(key), ApiKeys.Hash(ApiKeys.NewKey())).ShouldBeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("obk_short")]
    [InlineData("sk_live_0123456789012345678901234567890")]
    public void LooksLikeKey_rejects_junk_before_any_lookup(string candidate) => ApiKeys.LooksLikeKey(candidate).ShouldBeFalse();

    [Theory]
    [InlineData("12345678901", true)]
    [InlineData("1234567890", false)]
    [InlineData("123456789012", false)]
    [InlineData("1234567890a", false)]
    [InlineData(null, false)]
    public void IsTrid_accepts_exactly_eleven_digits(string? value, bool expected) =>
        AdminMerchantEndpoints.IsTrid(value).ShouldBe(expected);
}
