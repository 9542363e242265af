using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.IntegrationTests.Simulator.Support;

namespace ObotrGateway.IntegrationTests.Simulator;

[Collection(SimulatorCollectionDefinition.Name)]
public sealed class TokenizeTests(SimulatorFixture fixture)
{
    private readonly SimulatorHost _sim = fixture.Host;

    [Fact]
    public async Task Tokenize_approvedCard_returnsTokenWithEncryptedDetailAndPar()
    {
        var response = await _sim.Mdes.TokenizeAsync("5204730000100003");

        response.Status.ShouldBe(HttpStatusCode.OK, response.Body.ToJsonString());
        var body = response.Body;
        ((string)body["decision"]!).ShouldBe("APPROVED");
        var tur = (string)body["tokenUniqueReference"]!;
        tur.ShouldStartWith("DWSPMC");
        tur.Length.ShouldBe(48);
        ((string)body["panUniqueReference"]!).ShouldStartWith("FWSPMC");
        ((string)body["tokenInfo"]!["accountPanSuffix"]!).ShouldBe("0003");
        ((string)body["productConfig"]!["cardBackgroundCombinedAssetId"]!).ShouldNotBeNull();
        ((string)body["responseId"]!).ShouldNotBeNullOrEmpty();
        var detail = body["tokenDetail"]!.AsObject();
        ((string)detail["tokenUniqueReference"]!).ShouldBe(tur);
        ((string)detail["oaepHashingAlgorithm"]!).ShouldBe("SHA512");
        ((string)detail["encryptedData"]!).ShouldBe(((string)detail["encryptedData"]!).ToLowerInvariant());
        var clear = _sim.Mdes.Decrypt(detail);
        ((string)clear["paymentAccountReference"]!).Length.ShouldBe(29);
        ((string)clear["tokenNumber"]!).Length.ShouldBe(16);
        ((string)clear["tokenNumber"]!)[^4..].ShouldBe((string)body["tokenInfo"]!["tokenPanSuffix"]!);
    }

    [Fact]
    public async Task Tokenize_newToken_activatesAfterDelayWithActivationNtu()
    {
        var response = await _sim.Mdes.TokenizeAsync("5204730000100011");
        var tur = (string)response.Body["tokenUniqueReference"]!;

        (await _sim.Mdes.StatusOfAsync(tur)).ShouldBe("INACTIVE");
        var ntu = await _sim.Ntu.WaitAsync(tur, n => (string?)n.Token["status"] == "ACTIVE");

        ((string)ntu.Token["tokenRequestorId"]!).ShouldBe(TestMdesClient.Trid);
        ntu.Token["tokenInfo"]!["accountPanPrefix"]!.ToString().ShouldBe("520473");
        ntu.Envelope["encryptedPayload"]!["publicKeyFingerprint"]!.ToString().Length.ShouldBe(64);
        (await _sim.Mdes.StatusOfAsync(tur)).ShouldBe("ACTIVE");
    }

    [Fact]
    public async Task GetTaskStatus_afterTokenize_movesPendingInProgressCompleted()
    {
        var request = _sim.Mdes.TokenizeBody("5204730000100029");
        var taskId = (string)request["taskId"]!;
        (await _sim.Mdes.PostAsync(Paths.Tokenize, request)).Status.ShouldBe(HttpStatusCode.OK);

        // Every distinct status in the order the polls saw it.
        var seen = new List<string>();
        await Eventually.LastAsync(async () =>
        {
            var status = await _sim.Mdes.PostAsync(Paths.GetTaskStatus, new JsonObject
            {
                ["requestId"] = "t1",
                ["tokenRequestorId"] = TestMdesClient.Trid,
                ["taskId"] = taskId,
            });
            var value = (string)status.Body["status"]!;
            if (seen.Count == 0 || seen[^1] != value)
            {
                seen.Add(value);
            }

            return seen;
        }, statuses => statuses.Contains("COMPLETED"), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(40));

        seen.ShouldBe(["PENDING", "IN_PROGRESS", "COMPLETED"]);
    }

    [Fact]
    public async Task Tokenize_requireAdditionalAuthenticationRange_createsTokenWithMethods()
    {
        var response = await _sim.Mdes.TokenizeAsync("5204730000200001");

        ((string)response.Body["decision"]!).ShouldBe("REQUIRE_ADDITIONAL_AUTHENTICATION");
        response.Body["authenticationMethods"]!.AsArray().Count.ShouldBeGreaterThan(0);
        response.Body["tokenUniqueReference"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Tokenize_declinedRange_answers200DeclinedWithoutToken()
    {
        var response = await _sim.Mdes.TokenizeAsync("5204730000300009");

        response.Status.ShouldBe(HttpStatusCode.OK);
        ((string)response.Body["decision"]!).ShouldBe("DECLINED");
        response.Body["tokenUniqueReference"].ShouldBeNull();
    }

    [Theory]
    [InlineData("5204730000400007")]
    [InlineData("5204730000412345")]
    [InlineData("4111111111111111")]
    public async Task Tokenize_ineligibleRange_failsPanIneligible(string panPrefix)
    {
        var pan = panPrefix[..15] + ObotrGateway.MdesSimulator.TestCards.Luhn.CheckDigit(panPrefix[..15]);

        var response = await _sim.Mdes.TokenizeAsync(pan);

        response.ReasonCode.ShouldBe("PAN_INELIGIBLE");
        ((string)response.Body["errorCode"]!).ShouldBe("PAN_INELIGIBLE");
        response.Body["errorDescription"].ShouldNotBeNull();
        response.Body["responseId"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Tokenize_issuerErrorRange_failsNoResponseFromIssuerRecoverable()
    {
        var response = await _sim.Mdes.TokenizeAsync("5204730000600002");

        response.Status.ShouldBe(HttpStatusCode.GatewayTimeout);
        response.ReasonCode.ShouldBe("NO_RESPONSE_FROM_ISSUER");
        ((bool)response.Error!["recoverable"]!).ShouldBeTrue();
    }

    [Fact]
    public async Task Tokenize_slowIssuerRange_answersAfterConfiguredDelay()
    {
        var started = Stopwatch.StartNew();

        var response = await _sim.Mdes.TokenizeAsync("5204730000500004");

        ((string)response.Body["decision"]!).ShouldBe("APPROVED");
        started.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290));
    }

    [Theory]
    [InlineData("SHA256", 128, false, "cert-sha256", false)]
    [InlineData(null, 128, false, "cert-sha256", false)]
    [InlineData("SHA512", 256, true, "spki-sha256", false)]
    [InlineData("SHA512", 192, false, "cert-sha1", false)]
    [InlineData("SHA512", 128, false, "cert-sha256", true)]
    public async Task Tokenize_tolerantEncryptionVariants_areAccepted(string? oaep, int aesBits, bool upperHex, string fingerprint, bool omitIv)
    {
        var response = await _sim.Mdes.TokenizeAsync("5204730000100037", new FleStyle(oaep, aesBits, upperHex, fingerprint, omitIv));

        response.Status.ShouldBe(HttpStatusCode.OK, response.Body.ToJsonString());
    }

    [Fact]
    public async Task Tokenize_sameTaskIdTwice_failsInvalidTaskId()
    {
        var body = _sim.Mdes.TokenizeBody("5204730000100045");
        (await _sim.Mdes.PostAsync(Paths.Tokenize, body)).Status.ShouldBe(HttpStatusCode.OK);
        body["requestId"] = "again";

        var again = await _sim.Mdes.PostAsync(Paths.Tokenize, body);

        again.ReasonCode.ShouldBe("INVALID_TASK_ID");
    }

    [Fact]
    public async Task Tokenize_repeatDigitizationByPanUniqueReference_createsSecondToken()
    {
        var first = await _sim.Mdes.TokenizeAsync("5204730000100052");
        var body = _sim.Mdes.TokenizeBody("unused");
        body["fundingAccountInfo"] = new JsonObject { ["panUniqueReference"] = (string)first.Body["panUniqueReference"]! };

        var second = await _sim.Mdes.PostAsync(Paths.Tokenize, body);

        second.Status.ShouldBe(HttpStatusCode.OK, second.Body.ToJsonString());
        ((string)second.Body["tokenUniqueReference"]!).ShouldNotBe((string)first.Body["tokenUniqueReference"]!);
        ((string)second.Body["panUniqueReference"]!).ShouldBe((string)first.Body["panUniqueReference"]!);
    }
}
