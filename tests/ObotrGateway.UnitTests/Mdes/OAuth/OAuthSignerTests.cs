using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using ObotrGateway.Api.Mdes.OAuth;

namespace ObotrGateway.UnitTests.Mdes.OAuth;

public class OAuthSignerTests
{
    private const string ConsumerKey = "abc-123!xyz";
    private const string Nonce = "0123456789abcdef";
    private const long Timestamp = 1_700_000_000;

    [Fact]
    public void BodyHash_emptyBody_isSha256OfEmptyString()
    {
        OAuthSigner.BodyHash([]).ShouldBe("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
        OAuthSigner.EmptyBodyHash.ShouldBe("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    }

    [Fact]
    public void SignatureBaseString_knownInputs_matchesExpectedExactly()
    {
        var baseString = OAuthSigner.SignatureBaseString(
            HttpMethod.Post,
            new Uri("https://api.mastercard.com/mdes/digitization/static/1/0/tokenize"),
            OAuthParameters(OAuthSigner.BodyHash("{\"a\":1}"u8)));

        // Hand-derived: values unencoded in the parameter string, the whole string then encoded once.
        baseString.ShouldBe(
            "POST&https%3A%2F%2Fapi.mastercard.com%2Fmdes%2Fdigitization%2Fstatic%2F1%2F0%2Ftokenize&" +
            "oauth_body_hash%3DAVq9f1zFei3ZS3WQ8ErYCEJzkF7jPsXOvq5iJ2qX%2BGI%3D" +
            "%26oauth_consumer_key%3Dabc-123%21xyz" +
            "%26oauth_nonce%3D0123456789abcdef" +
            "%26oauth_signature_method%3DRSA-SHA256" +
            "%26oauth_timestamp%3D1700000000" +
            "%26oauth_version%3D1.0");
    }

    [Fact]
    public void CreateAuthorizationHeader_fixedNonceAndTime_isExactAndVerifiable()
    {
        using var key = RSA.Create(2048);
        var signer = new OAuthSigner(ConsumerKey, key, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Timestamp)), new FixedNonce(Nonce));
        var uri = new Uri("https://api.mastercard.com/mdes/digitization/static/1/0/tokenize");

        var header = signer.CreateAuthorizationHeader(HttpMethod.Post, uri, "{\"a\":1}"u8);

        var baseString = OAuthSigner.SignatureBaseString(HttpMethod.Post, uri, OAuthParameters("AVq9f1zFei3ZS3WQ8ErYCEJzkF7jPsXOvq5iJ2qX+GI="));
        // RSASSA-PKCS1-v1_5 is deterministic, so the expected signature can be computed independently here.
        var signature = key.SignData(Encoding.UTF8.GetBytes(baseString), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        header.ShouldBe(
            "OAuth oauth_consumer_key=\"abc-123%21xyz\",oauth_nonce=\"0123456789abcdef\",oauth_timestamp=\"1700000000\"," +
            "oauth_signature_method=\"RSA-SHA256\",oauth_version=\"1.0\"," +
            "oauth_body_hash=\"AVq9f1zFei3ZS3WQ8ErYCEJzkF7jPsXOvq5iJ2qX%2BGI%3D\"," +
            $"oauth_signature=\"{OAuthSigner.PercentEncode(Convert.ToBase64String(signature))}\"");
        key.VerifyData(Encoding.UTF8.GetBytes(baseString), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).ShouldBeTrue();
    }

    [Fact]
    public void CreateAuthorizationHeader_getWithoutBody_usesEmptyBodyHash()
    {
        using var key = RSA.Create(2048);
        var signer = new OAuthSigner(ConsumerKey, key, TimeProvider.System, new RandomOAuthNonceSource());

        var header = signer.CreateAuthorizationHeader(HttpMethod.Get, new Uri("https://api.mastercard.com/mdes/assets/static/1/0/asset/abc"), []);

        header.ShouldContain("oauth_body_hash=\"47DEQpj8HBSa%2B%2FTImW%2B5JCeuQeRkm5NMpJWZG3hSuFU%3D\"");
    }

    [Theory]
    [InlineData("HTTPS://API.Mastercard.COM:443/mdes/x?b=2&a=1#frag", "https://api.mastercard.com/mdes/x")]
    [InlineData("http://127.0.0.1:80/mdes", "http://127.0.0.1/mdes")]
    [InlineData("http://127.0.0.1:5081/mdes/digitization/static/1/0/tokenize", "http://127.0.0.1:5081/mdes/digitization/static/1/0/tokenize")]
    [InlineData("https://example.com", "https://example.com/")]
    public void NormalizedUrl_variousForms_lowercasesAndDropsDefaultPortQueryAndFragment(string input, string expected)
    {
        OAuthSigner.NormalizedUrl(new Uri(input)).ShouldBe(expected);
    }

    [Fact]
    public void SignatureBaseString_queryParameters_areSortedWithOAuthParameters()
    {
        var baseString = OAuthSigner.SignatureBaseString(
            HttpMethod.Get,
            new Uri("https://sandbox.api.mastercard.com/x?z=last&a=b%20c&a=a"),
            [new("oauth_nonce", "n")]);

        baseString.ShouldBe("GET&https%3A%2F%2Fsandbox.api.mastercard.com%2Fx&a%3Da%26a%3Db%2520c%26oauth_nonce%3Dn%26z%3Dlast");
    }

    [Fact]
    public void SignatureBaseString_mastercardPublishedVector_matches()
    {
        // Inputs and parameter string from the vector in Mastercard's oauth1-signer test suite.
        var baseString = OAuthSigner.SignatureBaseString(
            HttpMethod.Get,
            new Uri("https://sandbox.api.mastercard.com/merchantid/v1/merchantid?MerchantId=GOOGLE%20LTD%20ADWORDS%20%28CC%40GOOGLE.COM%29&Format=XML&Type=ExactMatch&Format=JSON"),
            [
                new("oauth_consumer_key", "aaa!aaa"),
                new("oauth_nonce", "uTeLPs6K"),
                new("oauth_timestamp", "1524771555"),
                new("oauth_signature_method", "RSA-SHA256"),
                new("oauth_version", "1.0"),
            ]);

        baseString.ShouldBe(
            "GET&https%3A%2F%2Fsandbox.api.mastercard.com%2Fmerchantid%2Fv1%2Fmerchantid&" +
            "Format%3DJSON%26Format%3DXML%26MerchantId%3DGOOGLE%2520LTD%2520ADWORDS%2520%2528CC%2540GOOGLE.COM%2529" +
            "%26Type%3DExactMatch%26oauth_consumer_key%3Daaa%21aaa%26oauth_nonce%3DuTeLPs6K" +
            "%26oauth_signature_method%3DRSA-SHA256%26oauth_timestamp%3D1524771555%26oauth_version%3D1.0");
    }

    [Theory]
    [InlineData("!*'()", "%21%2A%27%28%29")]
    [InlineData("a b+c/d=e", "a%20b%2Bc%2Fd%3De")]
    [InlineData("-._~AZaz09", "-._~AZaz09")]
    [InlineData("é", "%C3%A9")]
    public void PercentEncode_reservedAndUnicode_encodesPerRfc3986(string input, string expected)
    {
        OAuthSigner.PercentEncode(input).ShouldBe(expected);
    }

    [Fact]
    public void RandomOAuthNonceSource_next_isSixteenLowercaseHexAndUnique()
    {
        var source = new RandomOAuthNonceSource();
        var nonces = Enumerable.Range(0, 100).Select(_ => source.NextNonce()).ToList();

        nonces.ShouldAllBe(n => n.Length == 16 && n.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)));
        nonces.Distinct().Count().ShouldBe(100);
    }

    private static KeyValuePair<string, string>[] OAuthParameters(string bodyHash) =>
    [
        new("oauth_consumer_key", ConsumerKey),
        new("oauth_nonce", Nonce),
        new("oauth_timestamp", "1700000000"),
        new("oauth_signature_method", "RSA-SHA256"),
        new("oauth_version", "1.0"),
        new("oauth_body_hash", bodyHash),
    ];

    private sealed class FixedNonce(string nonce) : IOAuthNonceSource
    {
        public string NextNonce() => nonce;
    }
}
