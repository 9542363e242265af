using System.Text;
using ObotrGateway.Api.Mdes.Wire;

namespace ObotrGateway.UnitTests.Mdes.Wire;

public class MdesErrorParserTests
{
    [Fact]
    public void TryParse_gatewayEnvelope_readsPascalCaseError()
    {
        var errors = Parse("""{"Errors":{"Error":[{"Source":"Gateway","ReasonCode":"INVALID_BODY_HASH","Description":"Body hash mismatch","Recoverable":false,"Details":null}]}}""");

        var error = errors.ShouldHaveSingleItem();
        error.Source.ShouldBe("Gateway");
        error.ReasonCode.ShouldBe("INVALID_BODY_HASH");
        error.Description.ShouldBe("Body hash mismatch");
        error.Recoverable.ShouldBeFalse();
    }

    [Fact]
    public void TryParse_gatewayEnvelopeWithSingleErrorObject_readsIt()
    {
        Parse("""{"Errors":{"Error":{"Source":"Gateway","ReasonCode":"AUTHENTICATION_FAILED","Recoverable":true}}}""")
            .ShouldHaveSingleItem().ShouldBe(new Api.Mdes.MdesError("Gateway", "AUTHENTICATION_FAILED", null, null, true));
    }

    [Fact]
    public void TryParse_observedSandboxEnvelope_readsErrorsArrayAndLegacyPair()
    {
        var errors = Parse("""
            {"errorCode":"CRYPTOGRAPHY_ERROR","errorDescription":"Cryptography Error",
             "errors":[{"source":"INPUT","reasonCode":"CRYPTOGRAPHY_ERROR","description":"Cryptography Error"}],
             "responseId":"123456","supportsAuthentication":false}
            """, out var responseId);

        errors.ShouldHaveSingleItem().ShouldBe(new Api.Mdes.MdesError("INPUT", "CRYPTOGRAPHY_ERROR", null, "Cryptography Error", false));
        responseId.ShouldBe("123456");
    }

    [Fact]
    public void TryParse_specErrorsObject_readsReasonAndGatewayCode()
    {
        var error = Parse("""
            {"responseId":"s-1","Errors":{"source":"MDES","errorCode":"E0010097","description":"Invalid Field Length - tokenRequestorId","reasonCode":"INVALID_FIELD_LENGTH","recoverable":false}}
            """).ShouldHaveSingleItem();

        error.ShouldBe(new Api.Mdes.MdesError("MDES", "INVALID_FIELD_LENGTH", "E0010097", "Invalid Field Length - tokenRequestorId", false));
    }

    [Fact]
    public void TryParse_legacyLowercaseErrorsObject_readsIt()
    {
        Parse("""{"errors":{"source":"MDES","reasonCode":"INVALID_TOKEN_UNIQUE_REFERENCE","description":"unknown"}}""")
            .ShouldHaveSingleItem().ReasonCode.ShouldBe("INVALID_TOKEN_UNIQUE_REFERENCE");
    }

    [Fact]
    public void TryParse_legacyTopLevelOnly_fallsBackToErrorCode()
    {
        var error = Parse("""{"errorCode":"INVALID_PAN","errorDescription":"Invalid PAN"}""").ShouldHaveSingleItem();

        error.ReasonCode.ShouldBe("INVALID_PAN");
        error.Description.ShouldBe("Invalid PAN");
        error.Source.ShouldBe("MDES");
    }

    [Fact]
    public void TryParse_transactError_readsTopLevelFields()
    {
        var error = Parse("""{"source":"MDES","errorCode":"E0010100","description":"Token not active","reasonCode":"INVALID_TOKEN_STATUS","errorDescription":"deprecated"}""")
            .ShouldHaveSingleItem();

        error.ShouldBe(new Api.Mdes.MdesError("MDES", "INVALID_TOKEN_STATUS", "E0010100", "Token not active", false));
    }

    [Fact]
    public void TryParse_recoverableAsString_isRead()
    {
        Parse("""{"errors":[{"source":"MDES","reasonCode":"NO_RESPONSE_FROM_ISSUER","recoverable":"true"}]}""")
            .ShouldHaveSingleItem().Recoverable.ShouldBeTrue();
    }

    [Theory]
    [InlineData("""{"responseId":"s-1","decision":"DECLINED"}""")]
    [InlineData("""{"responseId":"s-1","status":"COMPLETED"}""")]
    [InlineData("""{"errors":[]}""")]
    [InlineData("not json")]
    [InlineData("")]
    public void TryParse_successOrGarbage_isNotAnError(string body)
    {
        MdesErrorParser.TryParse(Encoding.UTF8.GetBytes(body), out _, out _).ShouldBeFalse();
    }

    private static IReadOnlyList<Api.Mdes.MdesError> Parse(string json) => Parse(json, out _);

    private static IReadOnlyList<Api.Mdes.MdesError> Parse(string json, out string? responseId)
    {
        MdesErrorParser.TryParse(Encoding.UTF8.GetBytes(json), out var errors, out responseId).ShouldBeTrue();
        return errors;
    }
}
