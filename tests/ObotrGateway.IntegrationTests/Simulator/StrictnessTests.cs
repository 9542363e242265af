using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ObotrGateway.IntegrationTests.Simulator.Support;

namespace ObotrGateway.IntegrationTests.Simulator;

[Collection(SimulatorCollectionDefinition.Name)]
public sealed class StrictnessTests(SimulatorFixture fixture)
{
    private readonly SimulatorHost _sim = fixture.Host;

    public static TheoryData<string, string, string> TokenizeMutations => new()
    {
        { "tokenType", "\"SECURE_ELEMENT\"", "INVALID_FIELD_VALUE" },
        { "tokenRequestorId", "\"5012345678\"", "INVALID_FIELD_LENGTH" },
        { "tokenRequestorId", "\"5012345678X\"", "INVALID_FIELD_FORMAT" },
        { "tokenRequestorId", "50123456789", "INVALID_FIELD_FORMAT" },
        { "taskId", "null", "MISSING_REQUIRED_FIELD" },
        { "requestId", "\"\"", "INVALID_FIELD_LENGTH" },
        { "consumerLanguage", "\"eng\"", "INVALID_FIELD_LENGTH" },
        { "responseHost", "\"short\"", "INVALID_RESPONSE_HOST" },
        { "cardInfo", "{}", "UNRECOGNIZED_FIELD" },
        { "decisioningData", "{\"deviceScore\":\"9\"}", "INVALID_FIELD_VALUE" },
    };

    [Theory]
    [MemberData(nameof(TokenizeMutations))]
    public async Task Tokenize_invalidField_failsWithContractReasonCode(string field, string json, string reasonCode)
    {
        var body = _sim.Mdes.TokenizeBody("5204730000100060");
        if (json == "null")
        {
            body.Remove(field);
        }
        else
        {
            body[field] = JsonNode.Parse(json);
        }

        var response = await _sim.Mdes.PostAsync(Paths.Tokenize, body);

        response.Status.ShouldBe(HttpStatusCode.BadRequest);
        response.ReasonCode.ShouldBe(reasonCode);
        ((string)response.Error!["description"]!).ShouldContain(field);
    }

    public static TheoryData<string, string> AccountMutations => new()
    {
        { "{\"cardAccountData\":{\"accountNumber\":\"5204730000100078\",\"expiryMonth\":\"13\",\"expiryYear\":\"30\"},\"source\":\"ACCOUNT_ON_FILE\"}", "INVALID_FIELD_FORMAT" },
        { "{\"cardAccountData\":{\"accountNumber\":\"5204730000100078\",\"expiryMonth\":\"12\",\"expiryYear\":\"30\"},\"source\":\"CARD_ON_FILE\"}", "INVALID_FIELD_VALUE" },
        { "{\"cardAccountData\":{\"accountNumber\":\"5204730000100078\",\"expiryMonth\":\"12\",\"expiryYear\":\"30\"}}", "MISSING_REQUIRED_FIELD" },
        { "{\"cardAccountData\":{\"accountNumber\":\"5204730000100078\"},\"source\":\"ACCOUNT_ON_FILE\"}", "MISSING_EXPIRY_DATE" },
        { "{\"cardAccountData\":{\"accountNumber\":\"5204730000100079\",\"expiryMonth\":\"12\",\"expiryYear\":\"30\"},\"source\":\"ACCOUNT_ON_FILE\"}", "INVALID_PAN" },
        { "{\"cardAccountData\":{\"accountNumber\":\"5204730000100078\",\"expiryMonth\":\"12\",\"expiryYear\":\"30\",\"cvc\":\"1\"},\"source\":\"ACCOUNT_ON_FILE\"}", "UNRECOGNIZED_FIELD" },
        { "{\"cardAccountData\":{\"accountNumber\":\"52047300\",\"expiryMonth\":\"12\",\"expiryYear\":\"30\"},\"source\":\"ACCOUNT_ON_FILE\"}", "INVALID_FIELD_LENGTH" },
    };

    [Theory]
    [MemberData(nameof(AccountMutations))]
    public async Task Tokenize_invalidEncryptedAccountData_failsWithContractReasonCode(string account, string reasonCode)
    {
        var body = _sim.Mdes.TokenizeBody("", account: JsonNode.Parse(account)!.AsObject());

        var response = await _sim.Mdes.PostAsync(Paths.Tokenize, body);

        response.ReasonCode.ShouldBe(reasonCode);
    }

    [Fact]
    public async Task Tokenize_fingerprintOfAnotherKey_failsCryptographyError()
    {
        var response = await _sim.Mdes.TokenizeAsync("5204730000100078", new FleStyle(Fingerprint: new string('a', 64)));

        response.ReasonCode.ShouldBe("CRYPTOGRAPHY_ERROR");
        ((string)response.Error!["source"]!).ShouldBe("INPUT");
    }

    [Fact]
    public async Task Tokenize_payloadForAnotherCertificate_failsCryptographyError()
    {
        using var key = Support.Json.NewKey();
        using var other = Support.Json.SelfSigned(key);
        var body = _sim.Mdes.TokenizeBody("5204730000100078");
        var envelope = TestFle.Encrypt(TestMdesClient.Account("5204730000100078"), other);
        envelope["publicKeyFingerprint"] = (string)body["fundingAccountInfo"]!["encryptedPayload"]!["publicKeyFingerprint"]!;
        body["fundingAccountInfo"] = new JsonObject { ["encryptedPayload"] = envelope };

        var response = await _sim.Mdes.PostAsync(Paths.Tokenize, body);

        response.ReasonCode.ShouldBe("CRYPTOGRAPHY_ERROR");
    }

    [Fact]
    public async Task Tokenize_malformedJson_failsInvalidJson()
    {
        var response = await _sim.Mdes.SendRawAsync(HttpMethod.Post, Paths.Tokenize, Encoding.UTF8.GetBytes("{\"requestId\":"));

        response.ReasonCode.ShouldBe("INVALID_JSON");
    }

    [Fact]
    public async Task Tokenize_tridNotGrantedToRequestor_failsAuthorizationFailed()
    {
        var response = await _sim.OtherRequestor.TokenizeAsync("5204730000100078", trid: "50123456789");

        response.ReasonCode.ShouldBe("AUTHORIZATION_FAILED");
    }

    [Fact]
    public async Task Transact_invalidFields_failWithTransactErrorShape()
    {
        var tur = (string)(await _sim.Mdes.TokenizeAsync("5204730000100086")).Body["tokenUniqueReference"]!;
        foreach (var (field, value, code) in new[]
        {
            ("dsrpType", (JsonNode)"M_CHIP", "INVALID_FIELD_VALUE"),
            ("unpredictableNumber", "1A2B3C", "INVALID_FIELD_LENGTH"),
            ("unpredictableNumber", "1A2B3C4G", "INVALID_FIELD_FORMAT"),
            ("amount", "100", "UNRECOGNIZED_FIELD"),
        })
        {
            var body = new JsonObject { ["requestId"] = "x", ["tokenUniqueReference"] = tur, ["dsrpType"] = "UCAF", [field] = value };

            var response = await _sim.Mdes.PostAsync(Paths.Transact, body);

            response.ReasonCode.ShouldBe(code, field);
            // Transact's error is the flat TransactError of the 1.3.0 spec.
            var error = response.Body;
            error["Errors"].ShouldBeNull();
            ((string)error["errorCode"]!).ShouldBe(code);
            error["errorDescription"].ShouldNotBeNull();
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public async Task Suspend_tokenCountOutside1To10_failsInvalidFieldLength(int count)
    {
        var turs = Enumerable.Range(0, count).Select(i => "DWSPMC" + i.ToString("D42", System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        var response = await _sim.Mdes.LifecycleAsync(Paths.Suspend, "OTHER", turs);

        response.ReasonCode.ShouldBe("INVALID_FIELD_LENGTH");
    }

    [Fact]
    public async Task Suspend_unknownReasonCodeOrCausedBy_failsInvalidFieldValue()
    {
        (await _sim.Mdes.LifecycleAsync(Paths.Suspend, "DEVICE_LOST", "DWSPMC1")).ReasonCode.ShouldBe("INVALID_FIELD_VALUE");
        var body = new JsonObject
        {
            ["requestId"] = "r",
            ["tokenUniqueReferences"] = new JsonArray("DWSPMC1"),
            ["causedBy"] = "ISSUER",
            ["reasonCode"] = "OTHER",
        };

        (await _sim.Mdes.PostAsync(Paths.Suspend, body)).ReasonCode.ShouldBe("INVALID_FIELD_VALUE");
    }

    [Fact]
    public async Task TokenOwnedByAnotherRequestor_isNotFound()
    {
        var tur = (string)(await _sim.Mdes.TokenizeAsync("5204730000100094")).Body["tokenUniqueReference"]!;

        (await _sim.OtherRequestor.GetTokenAsync(tur)).ReasonCode.ShouldBe("INVALID_TOKEN_UNIQUE_REFERENCE");
        (await _sim.OtherRequestor.TransactAsync(tur)).ReasonCode.ShouldBe("INVALID_TOKEN_UNIQUE_REFERENCE");
        (await _sim.OtherRequestor.LifecycleAsync(Paths.Delete, "OTHER", tur)).ReasonCode.ShouldBe("INVALID_TOKEN_UNIQUE_REFERENCE");
        (await _sim.Mdes.StatusOfAsync(tur)).ShouldNotBe("DEACTIVATED");
    }

    [Fact]
    public async Task GetToken_includeTokenDetailNotAStringBoolean_failsInvalidFieldFormat()
    {
        var body = new JsonObject { ["requestId"] = "r", ["tokenUniqueReference"] = "DWSPMC1", ["includeTokenDetail"] = true };

        (await _sim.Mdes.PostAsync(Paths.GetToken, body)).ReasonCode.ShouldBe("INVALID_FIELD_FORMAT");
    }
}
