using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.Encryption;
using ObotrGateway.Api.Mdes.OAuth;
using ObotrGateway.Api.Mdes.Wire;
using static ObotrGateway.UnitTests.Mdes.MdesClientHarness;

namespace ObotrGateway.UnitTests.Mdes;

public class MdesClientTests
{
    private const string Pan = "5555444433331111";
    private const string Tur = "DWSPMC00000000c3fe87928e21a15d418ff3558dea22fa42";

    private static TokenizeRequest Tokenize() => new()
    {
        TaskId = "t-1001",
        ConsumerLanguage = "en",
        FundingAccountInfo = new FundingAccountInfo
        {
            EncryptedPayload = new FundingAccountPayload(new FundingAccountData
            {
                CardAccountData = new CardAccountData { AccountNumber = Pan, ExpiryMonth = "07", ExpiryYear = "29", SecurityCode = "321" },
                Source = "ACCOUNT_ON_FILE",
            }),
        },
    };

    private static TokenStatusChangeRequest StatusChange(int turs) => new()
    {
        TokenUniqueReferences = Enumerable.Range(0, turs).Select(i => $"{Tur}{i}").ToList(),
        CausedBy = "TOKEN_REQUESTOR",
        ReasonCode = "OTHER",
    };

    [Fact]
    public async Task TokenizeAsync_request_isStampedEncryptedAndSignedOverTheExactBytes()
    {
        var harness = new MdesClientHarness((_, _, _) => Respond(Json("""{"responseId":"s-1","decision":"DECLINED"}""")));

        await harness.Client.TokenizeAsync(Tokenize(), Call);

        var sent = harness.Mdes.Requests.ShouldHaveSingleItem();
        sent.Method.ShouldBe(HttpMethod.Post);
        sent.Uri.ShouldBe(new Uri("http://127.0.0.1:5081/mdes/digitization/static/1/0/tokenize"));
        var json = sent.Json;
        json["requestId"]!.GetValue<string>().ShouldMatch("^[0-9a-f]{32}$");
        json["responseHost"]!.GetValue<string>().ShouldBe("psp.example.net");
        json["tokenRequestorId"]!.GetValue<string>().ShouldBe(Trid);
        json["tokenType"]!.GetValue<string>().ShouldBe("CLOUD");
        json["taskId"]!.GetValue<string>().ShouldBe("t-1001");
        Encoding.UTF8.GetString(sent.Body).ShouldNotContain(Pan);
        new FieldLevelEncryption(MdesTestKeys.MdesRing())
            .DecryptPath(json, "fundingAccountInfo.encryptedPayload", "fundingAccountInfo.encryptedPayload.encryptedData");
        json["fundingAccountInfo"]!["encryptedPayload"]!["encryptedData"]!["cardAccountData"]!["accountNumber"]!.GetValue<string>().ShouldBe(Pan);

        var oauth = ParseAuthorization(sent.Authorization!);
        oauth["oauth_body_hash"].ShouldBe(Convert.ToBase64String(SHA256.HashData(sent.Body)));
        oauth["oauth_consumer_key"].ShouldBe("consumer-key!test");
        VerifySignature(sent, oauth).ShouldBeTrue();
    }

    [Fact]
    public async Task TokenizeAsync_twoCalls_getDistinctRequestIds()
    {
        var harness = new MdesClientHarness((_, _, _) => Respond(Json("""{"decision":"DECLINED"}""")));

        await harness.Client.TokenizeAsync(Tokenize(), Call);
        await harness.Client.TokenizeAsync(Tokenize(), Call);

        harness.Mdes.Requests.Select(r => r.Json["requestId"]!.GetValue<string>()).Distinct().Count().ShouldBe(2);
    }

    [Fact]
    public async Task TokenizeAsync_approved_decryptsTokenDetailAndReadsStringTypedFields()
    {
        var harness = new MdesClientHarness((_, _, _) => Respond(Encrypted($$$"""
            {"responseHost":"site1.mastercard.com","responseId":"s-1001","decision":"APPROVED","tokenUniqueReference":"{{{Tur}}}",
             "tokenInfo":{"tokenPanSuffix":"4821","dsrpCapable":"true","tokenAssuranceLevel":"1","productCategory":"CREDIT"},
             "productConfig":{"isCoBranded":false,"issuerName":"Example Bank"},
             "tokenDetail":{"tokenUniqueReference":"{{{Tur}}}","encryptedData":{"paymentAccountReference":"5001EXAMPLEPAR000000000000001","tokenNumber":"5204731600014821"}},
             "supportsAuthentication":false}
            """, "tokenDetail.encryptedData", "tokenDetail")));

        var response = await harness.Client.TokenizeAsync(Tokenize(), Call);

        response.Decision.ShouldBe(TokenizeResponse.Approved);
        response.TokenUniqueReference.ShouldBe(Tur);
        response.TokenInfo!.DsrpCapable.ShouldBe(true);
        response.TokenInfo.TokenAssuranceLevel.ShouldBe(1);
        response.ProductConfig!.IsCoBranded.ShouldBe(false);
        response.TokenDetail!.EncryptedData!.PaymentAccountReference.ShouldBe("5001EXAMPLEPAR000000000000001");
        response.TokenDetail.EncryptedData.TokenNumber.ShouldBe("5204731600014821");
    }

    [Fact]
    public async Task TokenizeAsync_declined_isANormalResult()
    {
        var harness = new MdesClientHarness((_, _, _) => Respond(Json("""{"responseId":"s-1","decision":"DECLINED","supportsAuthentication":"false"}""")));

        var response = await harness.Client.TokenizeAsync(Tokenize(), Call);

        response.Decision.ShouldBe(TokenizeResponse.Declined);
        response.TokenUniqueReference.ShouldBeNull();
    }

    [Fact]
    public async Task TransactAsync_response_decryptsCryptogram()
    {
        var harness = new MdesClientHarness((_, _, _) => Respond(Encrypted("""
            {"responseId":"s-2001","encryptedPayload":{"encryptedData":{"accountNumber":"5204731600014821","applicationExpiryDate":"310731",
             "panSequenceNumber":"01","track2Equivalent":"5204731600014821D31072011000000000000F","de48se43Data":"0A1B2C3D4E5F60718293A4B5C6D7E8F9"}}}
            """, "encryptedPayload.encryptedData", "encryptedPayload")));

        var response = await harness.Client.TransactAsync(new TransactRequest { TokenUniqueReference = Tur, UnpredictableNumber = "1A2B3C4D" }, Call);

        response.EncryptedPayload!.EncryptedData!.De48se43Data.ShouldBe("0A1B2C3D4E5F60718293A4B5C6D7E8F9");
        response.EncryptedPayload.EncryptedData.ApplicationExpiryDate.ShouldBe("310731");
        var sent = harness.Mdes.Requests.ShouldHaveSingleItem();
        sent.Uri.AbsolutePath.ShouldBe("/mdes/remotetransaction/static/1/0/transact");
        sent.Json["dsrpType"]!.GetValue<string>().ShouldBe("UCAF");
    }

    [Fact]
    public async Task GetTokenAsync_request_sendsIncludeTokenDetailAsStringAndReadsBooleanDsrp()
    {
        var harness = new MdesClientHarness((_, _, _) => Respond(Json($$$"""
            {"responseId":"s-4001","token":{"tokenUniqueReference":"{{{Tur}}}","tokenRequestorId":"{{{Trid}}}","status":"ACTIVE",
             "statusTimestamp":"2025-03-01T10:15:30.120Z","tokenInfo":{"accountPanPrefix":"555544","dsrpCapable":true} } }
            """)));

        var response = await harness.Client.GetTokenAsync(new GetTokenRequest { TokenUniqueReference = Tur, IncludeTokenDetail = true }, Call);

        harness.Mdes.Requests.ShouldHaveSingleItem().Json["includeTokenDetail"]!.GetValue<string>().ShouldBe("true");
        response.Token!.Status.ShouldBe("ACTIVE");
        response.Token.TokenInfo!.DsrpCapable.ShouldBe(true);
        response.Token.StatusTimestamp.ShouldBe(new DateTimeOffset(2025, 3, 1, 10, 15, 30, 120, TimeSpan.Zero));
    }

    [Fact]
    public async Task GetAssetAsync_request_isGetSignedWithEmptyBodyHash()
    {
        var harness = new MdesClientHarness((_, _, _) => Respond(Json("""{"mediaContents":[{"type":"image/png","data":"iVBORw0KGgo=","width":1536,"height":"969"}]}""")));

        var response = await harness.Client.GetAssetAsync("a1b2c3d4-0000-4000-8000-000000000001", Call);

        var sent = harness.Mdes.Requests.ShouldHaveSingleItem();
        sent.Method.ShouldBe(HttpMethod.Get);
        sent.Uri.ShouldBe(new Uri("http://127.0.0.1:5081/mdes/assets/static/1/0/asset/a1b2c3d4-0000-4000-8000-000000000001"));
        sent.Body.ShouldBeEmpty();
        var oauth = ParseAuthorization(sent.Authorization!);
        oauth["oauth_body_hash"].ShouldBe(OAuthSigner.EmptyBodyHash);
        VerifySignature(sent, oauth).ShouldBeTrue();
        var media = response.MediaContents.ShouldHaveSingleItem();
        media.Width.ShouldBe("1536");
        media.Height.ShouldBe("969");
    }

    [Fact]
    public async Task SearchTokensAndGetTaskStatus_request_carryTridFromCallContext()
    {
        var harness = new MdesClientHarness((r, _, _) => Respond(Json(r.Uri.AbsolutePath.EndsWith("searchTokens", StringComparison.Ordinal)
            ? """{"tokens":[{"tokenUniqueReference":"DWSPMC1","status":"ACTIVE"}]}"""
            : """{"status":"COMPLETED"}""")));

        var tokens = await harness.Client.SearchTokensAsync(new SearchTokensRequest { FundingAccountInfo = Tokenize().FundingAccountInfo }, Call);
        var task = await harness.Client.GetTaskStatusAsync(new GetTaskStatusRequest { TaskId = "t-1001" }, Call);

        tokens.Tokens.ShouldHaveSingleItem().Status.ShouldBe("ACTIVE");
        task.Status.ShouldBe(GetTaskStatusResponse.Completed);
        harness.Mdes.Requests.ShouldAllBe(r => r.Json["tokenRequestorId"]!.GetValue<string>() == Trid);
        Encoding.UTF8.GetString(harness.Mdes.Requests[0].Body).ShouldNotContain(Pan);
    }

    [Theory]
    [InlineData("Suspend", 11)]
    [InlineData("Unsuspend", 11)]
    [InlineData("Delete", 11)]
    [InlineData("Delete", 0)]
    public async Task StatusChange_outOfRangeTurCount_isRefusedBeforeSending(string operation, int turs)
    {
        var harness = new MdesClientHarness((_, _, _) => Respond(Json("{}")));

        var ex = await Should.ThrowAsync<ArgumentException>(() => StatusChangeAsync(harness.Client, operation, StatusChange(turs)));

        ex.ShouldBeOfType<MdesRequestValidationException>().Message.ShouldContain($"got {turs}");
        harness.Mdes.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("Suspend", "suspend", "SUSPENDED")]
    [InlineData("Unsuspend", "unsuspend", "ACTIVE")]
    [InlineData("Delete", "delete", "DEACTIVATED")]
    public async Task StatusChange_tenTurs_areSentAndTokensRead(string operation, string path, string status)
    {
        var harness = new MdesClientHarness((_, _, _) => Respond(Json($$$"""{"responseId":"s-3001","tokens":[{"tokenUniqueReference":"{{{Tur}}}","status":"{{{status}}}","suspendedBy":["TOKEN_REQUESTOR"]}]}""")));

        var response = await StatusChangeAsync(harness.Client, operation, StatusChange(10));

        response.Tokens.ShouldHaveSingleItem().Status.ShouldBe(status);
        var sent = harness.Mdes.Requests.ShouldHaveSingleItem();
        sent.Uri.AbsolutePath.ShouldBe($"/mdes/digitization/static/1/0/{path}");
        sent.Json["tokenUniqueReferences"]!.AsArray().Count.ShouldBe(10);
        sent.Json["causedBy"]!.GetValue<string>().ShouldBe("TOKEN_REQUESTOR");
    }

    [Fact]
    public async Task GetTokenAsync_gatewayAuthError_isMdesExceptionWithStatusAndNotRetried()
    {
        var harness = new MdesClientHarness((_, _, _) => Respond(Json(
            """{"Errors":{"Error":[{"Source":"Gateway","ReasonCode":"AUTHENTICATION_FAILED","Description":"OAuth signatures did not match","Recoverable":false}]}}""",
            HttpStatusCode.Unauthorized)));

        var ex = await Should.ThrowAsync<MdesException>(() => harness.Client.GetTokenAsync(new GetTokenRequest { TokenUniqueReference = Tur }, Call));

        ex.HttpStatus.ShouldBe(HttpStatusCode.Unauthorized);
        ex.ReasonCode.ShouldBe("AUTHENTICATION_FAILED");
        ex.ErrorSource.ShouldBe("Gateway");
        ex.Recoverable.ShouldBeFalse();
        ex.Operation.ShouldBe(MdesOperation.GetToken);
        harness.Mdes.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task GetTokenAsync_applicationErrorAsHttp500_isDefinitiveAndNotRetried()
    {
        var harness = new MdesClientHarness((_, _, _) => Respond(Json(
            """{"errors":[{"source":"INPUT","reasonCode":"INVALID_TOKEN_UNIQUE_REFERENCE","description":"Invalid Field Value - tokenUniqueReference"}],"responseId":"s-9"}""",
            HttpStatusCode.InternalServerError)));

        var ex = await Should.ThrowAsync<MdesException>(() => harness.Client.GetTokenAsync(new GetTokenRequest { TokenUniqueReference = Tur }, Call));

        ex.ReasonCode.ShouldBe("INVALID_TOKEN_UNIQUE_REFERENCE");
        ex.ResponseId.ShouldBe("s-9");
        harness.Mdes.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task TokenizeAsync_errorEnvelopeWithHttp200_isMdesException()
    {
        var harness = new MdesClientHarness((_, _, _) => Respond(Json(
            """{"errorCode":"CRYPTOGRAPHY_ERROR","errorDescription":"Cryptography Error","errors":[{"source":"INPUT","reasonCode":"CRYPTOGRAPHY_ERROR","description":"Cryptography Error"}],"responseId":"123456"}""")));

        var ex = await Should.ThrowAsync<MdesException>(() => harness.Client.TokenizeAsync(Tokenize(), Call));

        ex.ReasonCode.ShouldBe("CRYPTOGRAPHY_ERROR");
        ex.HttpStatus.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TransactAsync_transactError_isMdesException()
    {
        var harness = new MdesClientHarness((_, _, _) => Respond(Json(
            """{"source":"MDES","errorCode":"E1","description":"Token not active","reasonCode":"INVALID_TOKEN_STATUS"}""", HttpStatusCode.BadRequest)));

        var ex = await Should.ThrowAsync<MdesException>(() => harness.Client.TransactAsync(new TransactRequest { TokenUniqueReference = Tur }, Call));

        ex.Error.ShouldBe(new MdesError("MDES", "INVALID_TOKEN_STATUS", "E1", "Token not active", false));
    }

    [Fact]
    public async Task GetTokenAsync_notFoundWithoutEnvelope_isMdesExceptionWithHttpReason()
    {
        var harness = new MdesClientHarness((_, _, _) => Respond(new HttpResponseMessage(HttpStatusCode.NotFound)));

        var ex = await Should.ThrowAsync<MdesException>(() => harness.Client.GetTokenAsync(new GetTokenRequest { TokenUniqueReference = Tur }, Call));

        ex.ReasonCode.ShouldBe("HTTP_404");
        ex.ErrorSource.ShouldBe("HTTP");
    }

    [Theory]
    [InlineData("GetToken")]
    [InlineData("SearchTokens")]
    [InlineData("GetTaskStatus")]
    [InlineData("GetAsset")]
    public async Task Reads_badGatewayThenOk_areRetriedWithAFreshSignature(string operation)
    {
        var harness = new MdesClientHarness((_, attempt, _) => Respond(attempt == 1
            ? new HttpResponseMessage(HttpStatusCode.BadGateway)
            : Json("""{"tokens":[],"status":"COMPLETED","mediaContents":[]}""")));

        await ReadAsync(harness.Client, operation);

        harness.Mdes.Requests.Count.ShouldBe(2);
        ParseAuthorization(harness.Mdes.Requests[0].Authorization!)["oauth_nonce"]
            .ShouldNotBe(ParseAuthorization(harness.Mdes.Requests[1].Authorization!)["oauth_nonce"]);
        harness.Store.Calls.ShouldBe(2);
    }

    [Fact]
    public async Task Reads_attemptTimeoutThenOk_areRetried()
    {
        var harness = new MdesClientHarness(async (_, attempt, ct) =>
        {
            if (attempt == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), ct);
            }

            return Json("""{"status":"COMPLETED"}""");
        }, o => o.AttemptTimeout = TimeSpan.FromMilliseconds(500));

        var response = await harness.Client.GetTaskStatusAsync(new GetTaskStatusRequest { TaskId = "t-1" }, Call);

        response.Status.ShouldBe("COMPLETED");
        harness.Mdes.Requests.Count.ShouldBe(2);
        // Each attempt had its own slot; only the answered one is released early, the timed-out one keeps its lease
        // (the request may still reach MDES).
        harness.Store.Claims.Select(c => c.SlotId).Distinct().Count().ShouldBe(2);
        harness.Store.Released.ShouldBe([harness.Store.Claims[1].SlotId]);
    }

    [Fact]
    public async Task Attempt_timeout_countsFromTheSlotRequestNotFromTheSend()
    {
        // The grant took 400 ms to come back (slow Redis, or a stalled thread between grant and send): the attempt
        // gets only what is left of its 600 ms, so it always ends before the slot's lease in Redis does.
        var harness = new MdesClientHarness(async (_, _, ct) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(350), ct);
            return Json("""{"status":"COMPLETED"}""");
        }, o => { o.AttemptTimeout = TimeSpan.FromMilliseconds(600); o.MaxRetries = 0; });
        harness.Store.Delay = TimeSpan.FromMilliseconds(400);

        var ex = await Should.ThrowAsync<MdesUnavailableException>(() =>
            harness.Client.GetTaskStatusAsync(new GetTaskStatusRequest { TaskId = "t-1" }, Call));

        ex.Reason.ShouldBe(MdesUnavailableReason.Timeout);
        harness.Store.Claims.Single().Lease.ShouldBe(TimeSpan.FromMilliseconds(600) + TimeSpan.FromSeconds(1));
        harness.Store.Released.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("Tokenize")]
    [InlineData("Transact")]
    [InlineData("Delete")]
    [InlineData("Suspend")]
    [InlineData("Unsuspend")]
    public async Task Writes_serverError_areNotRetriedAndOutcomeIsUnknown(string operation)
    {
        var harness = new MdesClientHarness((_, _, _) => Respond(new HttpResponseMessage(HttpStatusCode.BadGateway)));

        var ex = await Should.ThrowAsync<MdesUnavailableException>(() => WriteAsync(harness.Client, operation));

        ex.Reason.ShouldBe(MdesUnavailableReason.ServerError);
        ex.OutcomeUnknown.ShouldBeTrue();
        ex.HttpStatus.ShouldBe(HttpStatusCode.BadGateway);
        harness.Mdes.Requests.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("Tokenize")]
    [InlineData("Transact")]
    [InlineData("Delete")]
    [InlineData("Suspend")]
    [InlineData("Unsuspend")]
    public async Task Writes_timeout_areNotRetriedAndOutcomeIsUnknown(string operation)
    {
        var harness = new MdesClientHarness(async (_, _, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            return Json("{}");
        }, o => o.AttemptTimeout = TimeSpan.FromMilliseconds(300));

        var ex = await Should.ThrowAsync<MdesUnavailableException>(() => WriteAsync(harness.Client, operation));

        ex.Reason.ShouldBe(MdesUnavailableReason.Timeout);
        ex.OutcomeUnknown.ShouldBeTrue();
        harness.Mdes.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task TokenizeAsync_brokenConnectionAfterSending_isNotRetried()
    {
        var harness = new MdesClientHarness((_, _, _) => throw new HttpRequestException(HttpRequestError.ResponseEnded, "connection reset"));

        var ex = await Should.ThrowAsync<MdesUnavailableException>(() => harness.Client.TokenizeAsync(Tokenize(), Call));

        ex.Reason.ShouldBe(MdesUnavailableReason.TransportError);
        ex.OutcomeUnknown.ShouldBeTrue();
        harness.Mdes.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task TokenizeAsync_connectionRefusedThenOk_isRetriedBecauseMdesNeverSawIt()
    {
        var harness = new MdesClientHarness((_, attempt, _) => attempt == 1
            ? throw ConnectionRefused()
            : Respond(Json("""{"decision":"DECLINED"}""")));

        var response = await harness.Client.TokenizeAsync(Tokenize(), Call);

        response.Decision.ShouldBe("DECLINED");
        harness.Mdes.Requests.Count.ShouldBe(2);
        harness.Mdes.Requests[0].Json["requestId"]!.GetValue<string>().ShouldBe(harness.Mdes.Requests[1].Json["requestId"]!.GetValue<string>());
    }

    [Fact]
    public async Task TransactAsync_connectionAlwaysRefused_failsWithKnownOutcome()
    {
        var harness = new MdesClientHarness((_, _, _) => throw ConnectionRefused());

        var ex = await Should.ThrowAsync<MdesUnavailableException>(() => harness.Client.TransactAsync(new TransactRequest { TokenUniqueReference = Tur }, Call));

        ex.Reason.ShouldBe(MdesUnavailableReason.ConnectionFailed);
        ex.OutcomeUnknown.ShouldBeFalse();
        harness.Mdes.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task TokenizeAsync_throttledWithRetryAfter_surfacesRetryAfterWithoutRetrying()
    {
        var harness = new MdesClientHarness((_, _, _) => Respond(RetryAfter(HttpStatusCode.TooManyRequests, seconds: 7)));

        var ex = await Should.ThrowAsync<MdesUnavailableException>(() => harness.Client.TokenizeAsync(Tokenize(), Call));

        ex.Reason.ShouldBe(MdesUnavailableReason.Throttled);
        ex.RetryAfter.ShouldBe(TimeSpan.FromSeconds(7));
        ex.OutcomeUnknown.ShouldBeFalse();
        harness.Mdes.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task GetTaskStatusAsync_unavailableWithShortRetryAfter_waitsThatLongThenRetries()
    {
        var harness = new MdesClientHarness((_, attempt, _) =>
            Respond(attempt > 1 ? Json("""{"status":"PENDING"}""") : RetryAfter(HttpStatusCode.ServiceUnavailable, seconds: 1)));
        var started = Stopwatch.StartNew();

        var result = await harness.Client.GetTaskStatusAsync(new GetTaskStatusRequest { TaskId = "t-1" }, Call);

        result.Status.ShouldBe("PENDING");
        started.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(950));
        harness.Mdes.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task GetTaskStatusAsync_unavailableWithLongRetryAfter_surfacesItWithoutWaiting()
    {
        var harness = new MdesClientHarness((_, _, _) => Respond(RetryAfter(HttpStatusCode.ServiceUnavailable, seconds: 120)));

        var ex = await Should.ThrowAsync<MdesUnavailableException>(() => harness.Client.GetTaskStatusAsync(new GetTaskStatusRequest { TaskId = "t-1" }, Call));

        ex.RetryAfter.ShouldBe(TimeSpan.FromSeconds(120));
        ex.OutcomeUnknown.ShouldBeFalse();
        harness.Mdes.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task TokenizeAsync_tpsCapExhausted_failsInteractiveCallerWithRetryAfterAndSendsNothing()
    {
        var harness = new MdesClientHarness((_, _, _) => Respond(Json("{}")));
        harness.Store.Next = _ => new(false, TimeSpan.FromMilliseconds(1500));

        var ex = await Should.ThrowAsync<MdesTpsLimitExceededException>(() => harness.Client.TokenizeAsync(Tokenize(), Call));

        ex.RetryAfter.ShouldBe(TimeSpan.FromMilliseconds(1500));
        ex.TokenRequestorId.ShouldBe(Trid);
        ex.OutcomeUnknown.ShouldBeFalse();
        harness.Mdes.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task TokenizeAsync_responseWithUndecryptableTokenDetail_throwsCryptographyError()
    {
        var harness = new MdesClientHarness((_, _, _) => Respond(Json("""
            {"decision":"APPROVED","tokenDetail":{"tokenUniqueReference":"x","encryptedData":"00","iv":"00000000000000000000000000000000","encryptedKey":"00","publicKeyFingerprint":"ffff"}}
            """)));

        var ex = await Should.ThrowAsync<MdesCryptographyException>(() => harness.Client.TokenizeAsync(Tokenize(), Call));

        ex.Failure.ShouldBe(MdesCryptographyFailure.UnknownFingerprint);
    }

    [Fact]
    public async Task Reads_mdesKeepsFailing_opensTheCircuitAndFailsFastWithoutSending()
    {
        var harness = new MdesClientHarness((_, _, _) => Respond(new HttpResponseMessage(HttpStatusCode.BadGateway)), o => o.MaxRetries = 0);
        for (var i = 0; i < 10; i++)
        {
            await Should.ThrowAsync<MdesUnavailableException>(() => harness.Client.GetTokenAsync(new GetTokenRequest { TokenUniqueReference = Tur }, Call));
        }

        var sentBefore = harness.Mdes.Requests.Count;

        var ex = await Should.ThrowAsync<MdesUnavailableException>(() => harness.Client.GetTokenAsync(new GetTokenRequest { TokenUniqueReference = Tur }, Call));

        ex.Reason.ShouldBe(MdesUnavailableReason.CircuitOpen);
        ex.OutcomeUnknown.ShouldBeFalse();
        ex.RetryAfter.ShouldNotBeNull();
        harness.Mdes.Requests.Count.ShouldBe(sentBefore);
    }

    private static HttpResponseMessage RetryAfter(HttpStatusCode status, int seconds)
    {
        var response = new HttpResponseMessage(status);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        return response;
    }

    private static HttpRequestException ConnectionRefused() =>
        new(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:5081)", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));

    private static Task<TokenStatusChangeResponse> StatusChangeAsync(MdesWireClient client, string operation, TokenStatusChangeRequest request) => operation switch
    {
        "Suspend" => client.SuspendAsync(request, Call),
        "Unsuspend" => client.UnsuspendAsync(request, Call),
        _ => client.DeleteAsync(request, Call),
    };

    private static Task WriteAsync(MdesWireClient client, string operation) => operation switch
    {
        "Tokenize" => client.TokenizeAsync(Tokenize(), Call),
        "Transact" => client.TransactAsync(new TransactRequest { TokenUniqueReference = Tur }, Call),
        _ => StatusChangeAsync(client, operation, StatusChange(1)),
    };

    private static Task ReadAsync(MdesWireClient client, string operation) => operation switch
    {
        "GetToken" => client.GetTokenAsync(new GetTokenRequest { TokenUniqueReference = Tur }, Call),
        "SearchTokens" => client.SearchTokensAsync(new SearchTokensRequest { FundingAccountInfo = new FundingAccountInfo { TokenUniqueReference = Tur } }, Call),
        "GetTaskStatus" => client.GetTaskStatusAsync(new GetTaskStatusRequest { TaskId = "t-1" }, Call),
        _ => client.GetAssetAsync("asset-1", Call),
    };

    private static Dictionary<string, string> ParseAuthorization(string header)
    {
        header.ShouldStartWith("OAuth ");
        return Regex.Matches(header["OAuth ".Length..], "(\\w+)=\"([^\"]*)\"")
            .ToDictionary(m => m.Groups[1].Value, m => Uri.UnescapeDataString(m.Groups[2].Value));
    }

    private static bool VerifySignature(RecordedRequest sent, Dictionary<string, string> oauth)
    {
        var parameters = oauth.Where(p => p.Key != "oauth_signature").ToList();
        var baseString = OAuthSigner.SignatureBaseString(sent.Method, sent.Uri, parameters);
        return MdesTestKeys.SigningKey.VerifyData(
            Encoding.UTF8.GetBytes(baseString), Convert.FromBase64String(oauth["oauth_signature"]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
