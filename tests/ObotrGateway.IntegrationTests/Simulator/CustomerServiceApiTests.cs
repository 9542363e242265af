using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ObotrGateway.IntegrationTests.Simulator.Support;
using ObotrGateway.MdesSimulator.Tokens;
using Cs = ObotrGateway.IntegrationTests.Simulator.Support.CustomerServiceClient;

namespace ObotrGateway.IntegrationTests.Simulator;

/// <summary>The published Customer Service API v2, driven with the published bodies; every answer is schema-checked.</summary>
[Collection(SimulatorCollectionDefinition.Name)]
public sealed class CustomerServiceApiTests(SimulatorFixture fixture)
{
    private const string YellowPan = "5204730000200001";

    private readonly SimulatorHost _sim = fixture.Host;

    private Cs Api => new(_sim.Http);

    private TokenStore Store => _sim.Services.GetRequiredService<TokenStore>();

    private async Task<string> ActiveNotifiedAsync(string pan = "5204730000100003")
    {
        var tur = await _sim.Mdes.ActiveTokenAsync(pan);
        await _sim.Ntu.WaitAsync(tur, ntu => (string?)ntu.Token["status"] == "ACTIVE");
        return tur;
    }

    private async Task<string> YellowAsync()
    {
        var response = await _sim.Mdes.TokenizeAsync(YellowPan);
        ((string)response.Body["decision"]!).ShouldBe("REQUIRE_ADDITIONAL_AUTHENTICATION");
        return (string)response.Body["tokenUniqueReference"]!;
    }

    private async Task<JsonObject> SearchTokenAsync(string tur)
    {
        var body = await Api.OkAsync("/search", "SearchRequest", new JsonObject { ["TokenUniqueReference"] = tur });
        return body["SearchResponse"]!["Accounts"]!["Account"]![0]!["Tokens"]!["Token"]![0]!.AsObject();
    }

    private async Task<JsonArray> HistoryAsync(string tur) =>
        (await Api.OkAsync("/token/statushistory", "TokenStatusHistoryRequest", Cs.Tur(tur)))["TokenStatusHistoryResponse"]!["Statuses"]!["Status"]!.AsArray();

    [Fact]
    public async Task Suspend_unsuspend_delete_changeTheTokenRecordWhoAndWhyAndNotifyTheRequestor()
    {
        var tur = await ActiveNotifiedAsync();

        var suspended = await Api.OkAsync("/token/suspend", "TokenSuspendRequest", Cs.Tur(tur, ("ReasonCode", "T"), ("CommentText", "Cardholder reported fraud")));
        var commentId = (string)suspended["TokenSuspendResponse"]!["Token"]!["CommentId"]!;
        (await _sim.Ntu.WaitAsync(tur, n => (string?)n.Token["status"] == "SUSPENDED")).Token["eventReasonCode"]!.GetValue<string>().ShouldBe("SUSPECTED_FRAUD");
        var token = await SearchTokenAsync(tur);
        ((string)token["CurrentStatusCode"]!).ShouldBe("S");
        token["Suspenders"]!["Suspender"]!.AsArray().Select(s => (string)s!).ShouldBe(["I"]);
        ((string)token["LastCommentId"]!).ShouldBe(commentId);

        await Api.OkAsync("/token/unsuspend", "TokenUnsuspendRequest", Cs.Tur(tur, ("ReasonCode", "T")));
        (await _sim.Ntu.WaitAsync(tur, n => (string?)n.Token["status"] == "ACTIVE" && (string?)n.Token["eventReasonCode"] == "NOT_FRAUD")).ShouldNotBeNull();
        await Api.OkAsync("/token/delete", "TokenDeleteRequest", Cs.Tur(tur, ("ReasonCode", "C")));
        await _sim.Ntu.WaitAsync(tur, n => (string?)n.Token["status"] == "DEACTIVATED" && (string?)n.Token["eventReasonCode"] == "ACCOUNT_CLOSED");

        var history = await HistoryAsync(tur);
        history.Select(h => (string)h!["StatusCode"]!).ShouldBe(["U", "A", "S", "A", "D"]);
        var suspend = history[2]!;
        ((string)suspend["Initiator"]!).ShouldBe("I");
        ((string)suspend["ReasonCode"]!).ShouldBe("T");
        ((string)suspend["CommentId"]!).ShouldBe(commentId);
        ((string)suspend["AuditInfo"]!["UserName"]!).ShouldBe("John Smith");
        ((string)suspend["AuditInfo"]!["Organization"]!).ShouldBe("Solid Bank Inc");
        ((string)history[0]!["Initiator"]!).ShouldBe("W");
    }

    [Fact]
    public async Task Suspend_byIssuerAndRequestor_keepsTheTokenSuspendedUntilBothLift()
    {
        var tur = await ActiveNotifiedAsync();
        await _sim.Mdes.LifecycleAsync(Paths.Suspend, "OTHER", tur);

        await Api.OkAsync("/token/suspend", "TokenSuspendRequest", Cs.Tur(tur, ("ReasonCode", "L")));
        (await SearchTokenAsync(tur))["Suspenders"]!["Suspender"]!.AsArray().Select(s => (string)s!).Order().ShouldBe(["I", "W"]);
        await Api.OkAsync("/token/unsuspend", "TokenUnsuspendRequest", Cs.Tur(tur, ("ReasonCode", "F")));

        var token = await SearchTokenAsync(tur);
        ((string)token["CurrentStatusCode"]!).ShouldBe("S");
        token["Suspenders"]!["Suspender"]!.AsArray().Select(s => (string)s!).ShouldBe(["W"]);
    }

    [Fact]
    public async Task Comments_areStoredWithIdsAndFoundBySearch()
    {
        var tur = await ActiveNotifiedAsync();
        var first = (string)(await Api.OkAsync("/token/suspend", "TokenSuspendRequest", Cs.Tur(tur, ("ReasonCode", "Z"), ("CommentText", "first call"))))["TokenSuspendResponse"]!["Token"]!["CommentId"]!;
        var second = (string)(await Api.OkAsync("/token/unsuspend", "TokenUnsuspendRequest", Cs.Tur(tur, ("ReasonCode", "Z"), ("CommentText", "second call"))))["TokenUnsuspendResponse"]!["Token"]!["CommentId"]!;

        var comments = (await Api.OkAsync("/token/comments", "TokenCommentsRequest", Cs.Tur(tur)))["TokenCommentsResponse"]!["Comments"]!["Comment"]!.AsArray();
        comments.Select(c => ((string)c!["CommentId"]!, (string)c["CommentText"]!)).ShouldBe([(first, "first call"), (second, "second call")]);
        ((string)comments[0]!["AuditInfo"]!["UserId"]!).ShouldBe("A1435477");

        var found = await Api.OkAsync("/search", "SearchRequest", new JsonObject { ["CommentId"] = first });
        ((string)found["SearchResponse"]!["Accounts"]!["Account"]![0]!["Tokens"]!["Token"]![0]!["TokenUniqueReference"]!).ShouldBe(tur);
        var (status, missing) = await Api.PostAsync("/search", "SearchRequest", new JsonObject { ["CommentId"] = "CMT999999999" });
        status.ShouldBe(HttpStatusCode.NotFound);
        Cs.ReasonCode(missing).ShouldBe("EMPTY_RESULT");
    }

    [Fact]
    public async Task Search_byAccountPan_groupsTheCardsTokensAndCanExcludeDeleted()
    {
        const string pan = "5204730000123450";
        var kept = await ActiveNotifiedAsync(pan);
        var deleted = await ActiveNotifiedAsync(pan);
        await Api.OkAsync("/token/delete", "TokenDeleteRequest", Cs.Tur(deleted, ("ReasonCode", "Z")));

        var all = await Api.OkAsync("/search", "SearchRequest", new JsonObject { ["AccountPan"] = pan });
        var account = all["SearchResponse"]!["Accounts"]!["Account"]![0]!;
        ((string)account["AccountPanSuffix"]!).ShouldBe("3450");
        account["Tokens"]!["Token"]!.AsArray().Select(t => (string)t!["TokenUniqueReference"]!).ShouldBe([kept, deleted], ignoreOrder: true);
        var live = await Api.OkAsync("/search", "SearchRequest", new JsonObject { ["AccountPan"] = pan, ["ExcludeDeletedIndicator"] = "true" });
        live["SearchResponse"]!["Accounts"]!["Account"]![0]!["Tokens"]!["Token"]!.AsArray().Select(t => (string)t!["TokenUniqueReference"]!).ShouldBe([kept]);
        live.ToJsonString().ShouldNotContain(pan);

        var (status, both) = await Api.PostAsync("/search", "SearchRequest", new JsonObject { ["AccountPan"] = pan, ["TokenUniqueReference"] = kept });
        status.ShouldBe(HttpStatusCode.BadRequest);
        Cs.ReasonCode(both).ShouldBe("INVALID_FIELD_VALUE");
    }

    [Fact]
    public async Task Update_swapsThePanOfEveryTokenOfACardAndChangesProductConfiguration()
    {
        const string oldPan = "5204730000134457";
        const string newPan = "5204730000199997";
        var tur = await ActiveNotifiedAsync(oldPan);

        var swapped = await Api.OkAsync("/token/update", "TokenUpdateRequest", new JsonObject
        {
            ["CurrentAccountPan"] = oldPan,
            ["NewAccountPan"] = newPan,
            ["ExpirationDate"] = "0931",
            ["CommentText"] = "replacement card",
        });
        ((string)swapped["TokenUpdateResponse"]!["Tokens"]!["Token"]![0]!["TokenUniqueReference"]!).ShouldBe(tur);
        var swapNtu = await _sim.Ntu.WaitAsync(tur, n => (string?)n.Token["tokenInfo"]?["accountPanSuffix"] == "9997");
        swapNtu.Token["productConfig"].ShouldBeNull();
        var account = (await Api.OkAsync("/search", "SearchRequest", new JsonObject { ["AccountPan"] = newPan }))["SearchResponse"]!["Accounts"]!["Account"]![0]!;
        ((string)account["ExpirationDate"]!).ShouldBe("0931");

        await Api.OkAsync("/token/update", "TokenUpdateRequest", new JsonObject { ["TokenUniqueReference"] = tur, ["IssuerProductConfigurationId"] = "obotr-world-elite" });
        // Unlike the activation NTU, the product change carries the product configuration alone.
        await _sim.Ntu.WaitAsync(tur, n => n.Token["productConfig"] is not null && n.Token["tokenInfo"] is null);
        Store.Find(tur)!.ProductConfigId.ShouldBe("obotr-world-elite");

        var (status, mixed) = await Api.PostAsync("/token/update", "TokenUpdateRequest", new JsonObject
        {
            ["TokenUniqueReference"] = tur,
            ["IssuerProductConfigurationId"] = "obotr-credit",
            ["ExpirationDate"] = "0932",
        });
        status.ShouldBe(HttpStatusCode.BadRequest);
        Cs.ReasonCode(mixed).ShouldBe("INVALID_FIELD_VALUE");
        Store.Find(tur)!.ProductConfigId.ShouldBe("obotr-world-elite");
    }

    [Fact]
    public async Task Activation_ofAYellowPathToken_listsMethodsResendsAndActivatesWithAnNtu()
    {
        var tur = await YellowAsync();
        ((string)(await SearchTokenAsync(tur))["CurrentStatusCode"]!).ShouldBe("U");

        var methods = (await Api.OkAsync("/token/activationmethods", "TokenActivationMethodsRequest", Cs.Tur(tur)))["TokenActivationMethodsResponse"]!["ActivationMethods"]!["ActivationMethod"]!.AsArray();
        methods.Select(m => (string)m!["ActivationMethodType"]!).ShouldBe(["SMS", "ACC"]);
        ((string)methods[0]!["ActivationMethodValue"]!).ShouldContain("X");
        await Api.OkAsync("/token/resendactivationcode", "TokenResendActivationCodeRequest", Cs.Tur(tur, ("ActivationMethodId", "1")));
        (await SearchTokenAsync(tur))["ActivationCodeExpirationDateTime"].ShouldNotBeNull();
        var (refusedStatus, refused) = await Api.PostAsync("/token/resendactivationcode", "TokenResendActivationCodeRequest", Cs.Tur(tur, ("ActivationMethodId", "2")));
        refusedStatus.ShouldBe(HttpStatusCode.BadRequest);
        Cs.ReasonCode(refused).ShouldBe("INVALID_FIELD_VALUE");

        var activated = await Api.OkAsync("/token/activate", "TokenActivateRequest", Cs.Tur(tur, ("ReasonCode", "C"), ("CommentText", "identity confirmed on the phone")));
        activated["TokenActivateResponse"]!["Token"]!["CommentId"].ShouldNotBeNull();
        var ntu = await _sim.Ntu.WaitAsync(tur, n => (string?)n.Token["status"] == "ACTIVE");
        ntu.Token["productConfig"].ShouldNotBeNull();
        ntu.Token["eventReasonCode"].ShouldBeNull();
        var token = await SearchTokenAsync(tur);
        ((string)token["CurrentStatusCode"]!).ShouldBe("A");
        token["TokenActivatedDateTime"].ShouldNotBeNull();
        token["ActivationCodeExpirationDateTime"].ShouldBeNull();

        foreach (var (operation, wrapper, fields) in new[]
        {
            ("/token/activationmethods", "TokenActivationMethodsRequest", Cs.Tur(tur)),
            ("/token/resendactivationcode", "TokenResendActivationCodeRequest", Cs.Tur(tur, ("ActivationMethodId", "1"))),
            ("/token/activate", "TokenActivateRequest", Cs.Tur(tur, ("ReasonCode", "A"))),
        })
        {
            var (status, body) = await Api.PostAsync(operation, wrapper, fields);
            status.ShouldBe(HttpStatusCode.Conflict, operation);
            Cs.ReasonCode(body).ShouldBe("INVALID_TOKEN_STATUS");
        }
    }

    [Fact]
    public async Task StatusMatrix_refusesWhatTheTokensStatusDoesNotAllowAndChangesNothing()
    {
        var yellow = await YellowAsync();
        var deleted = await ActiveNotifiedAsync();
        await Api.OkAsync("/token/delete", "TokenDeleteRequest", Cs.Tur(deleted, ("ReasonCode", "Z")));
        await _sim.Ntu.WaitAsync(deleted, n => (string?)n.Token["status"] == "DEACTIVATED");
        var refusedInProgress = new[]
        {
            ("/token/suspend", "TokenSuspendRequest", Cs.Tur(yellow, ("ReasonCode", "Z"), ("CommentText", "never stored"))),
            ("/token/unsuspend", "TokenUnsuspendRequest", Cs.Tur(yellow, ("ReasonCode", "Z"))),
            ("/token/update", "TokenUpdateRequest", Cs.Tur(yellow, ("IssuerProductConfigurationId", "obotr-debit"))),
            ("/token/resetmobilepin", "TokenResetMobilePinRequest", Cs.Tur(yellow, ("ReasonCode", "N"))),
            ("/transactions", "TransactionsRequest", Cs.Tur(yellow)),
            ("/updatetokenassurance", "UpdateTokenAssuranceRequest", Cs.Tur(yellow)),
        };
        var refusedDeleted = new[]
        {
            ("/token/suspend", "TokenSuspendRequest", Cs.Tur(deleted, ("ReasonCode", "Z"))),
            ("/token/unsuspend", "TokenUnsuspendRequest", Cs.Tur(deleted, ("ReasonCode", "Z"))),
            ("/token/delete", "TokenDeleteRequest", Cs.Tur(deleted, ("ReasonCode", "Z"))),
            ("/token/update", "TokenUpdateRequest", Cs.Tur(deleted, ("IssuerProductConfigurationId", "obotr-debit"))),
            ("/token/resetmobilepin", "TokenResetMobilePinRequest", Cs.Tur(deleted, ("ReasonCode", "N"))),
            ("/token/activationmethods", "TokenActivationMethodsRequest", Cs.Tur(deleted)),
            ("/token/activate", "TokenActivateRequest", Cs.Tur(deleted, ("ReasonCode", "C"))),
            ("/updatetokenassurance", "UpdateTokenAssuranceRequest", Cs.Tur(deleted)),
        };
        var before = (yellow: Store.Find(yellow)!.History.Count, deleted: Store.Find(deleted)!.History.Count, ntus: _sim.Ntu.Received.Count);

        foreach (var (operation, wrapper, fields) in refusedInProgress.Concat(refusedDeleted))
        {
            var (status, body) = await Api.PostAsync(operation, wrapper, fields);
            status.ShouldBe(HttpStatusCode.Conflict, operation);
            Cs.ReasonCode(body).ShouldBe("INVALID_TOKEN_STATUS", operation);
        }

        (Store.Find(yellow)!.History.Count, Store.Find(deleted)!.History.Count).ShouldBe((before.yellow, before.deleted));
        Store.Find(yellow)!.Comments.ShouldBeEmpty();
        Store.Find(yellow)!.Status.ShouldBe(TokenStatus.Inactive);
        (await Api.OkAsync("/transactions", "TransactionsRequest", Cs.Tur(deleted)))["TransactionsResponse"].ShouldNotBeNull();
        await Api.OkAsync("/token/statushistory", "TokenStatusHistoryRequest", Cs.Tur(deleted));
        await Api.OkAsync("/token/comments", "TokenCommentsRequest", Cs.Tur(deleted));
        _sim.Ntu.Received.Count.ShouldBe(before.ntus);
    }

    [Fact]
    public async Task UpdateTokenAssurance_raisesTheLevelShownInSearchAndTellsTheRequestor()
    {
        var tur = await YellowAsync();
        await Api.OkAsync("/token/activate", "TokenActivateRequest", Cs.Tur(tur, ("ReasonCode", "C")));
        await _sim.Ntu.WaitAsync(tur, n => (string?)n.Token["status"] == "ACTIVE");
        ((string)(await SearchTokenAsync(tur))["TokenAssuranceLevel"]!).ShouldBe("0");

        await Api.OkAsync("/updatetokenassurance", "UpdateTokenAssuranceRequest", Cs.Tur(tur, ("CommentText", "Cardholder and account verified.")));

        ((string)(await SearchTokenAsync(tur))["TokenAssuranceLevel"]!).ShouldBe("1");
        (await _sim.Ntu.WaitAsync(tur, n => n.Token["tokenInfo"]?["tokenAssuranceLevel"]?.GetValue<int>() == 1)).ShouldNotBeNull();
        (await HistoryAsync(tur))[^1]!["CommentId"].ShouldNotBeNull();
    }

    [Fact]
    public async Task ResetMobilePin_forACardOnFileToken_answersThePublishedRefusal()
    {
        var tur = await ActiveNotifiedAsync();

        var (status, body) = await Api.PostAsync("/token/resetmobilepin", "TokenResetMobilePinRequest", Cs.Tur(tur, ("ReasonCode", "N")));

        status.ShouldBe(HttpStatusCode.BadRequest);
        Cs.ReasonCode(body).ShouldBe("FUNCTION_NOT_SUPPORTED");
        Store.Find(tur)!.History.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Transactions_listTheAcquirersAuthorizationsWithTheToken()
    {
        var tur = await ActiveNotifiedAsync();
        var tokenNumber = Store.Find(tur)!.TokenNumber;
        (await _sim.ConsoleAsync("/acquirer/authorizations", new { tokenNumber, sli = "247", amount = 1250, currency = "EUR", merchantName = "FoodMart", merchantCategoryCode = "5411" })).Status.ShouldBe(HttpStatusCode.OK);
        (await _sim.ConsoleAsync("/acquirer/authorizations", new { tokenNumber, sli = "247", amount = 500, currency = "JPY" })).Status.ShouldBe(HttpStatusCode.OK);

        var transactions = (await Api.OkAsync("/transactions", "TransactionsRequest", Cs.Tur(tur)))["TransactionsResponse"]!["Transactions"]!["Transaction"]!.AsArray();

        transactions.Count.ShouldBe(2);
        ((string)transactions[0]!["TransactionAmount"]!, (string)transactions[0]!["CurrencyCode"]!).ShouldBe(("500", "JPY"));
        var food = transactions[1]!;
        ((string)food["TransactionAmount"]!, (string)food["MerchantName"]!, (string)food["MerchantCategoryCode"]!).ShouldBe(("12.50", "FoodMart", "5411"));
        // SLI 247 without an initial cardholder-present payment is declined by the acquirer.
        ((string)food["TransactionStatusCode"]!).ShouldBe("DCLN");
    }

    [Fact]
    public async Task AccountHolderMessaging_isRecordedAndChecked()
    {
        var tur = await ActiveNotifiedAsync();
        JsonObject Message(DateTimeOffset expires) => Cs.Tur(tur, ("MessageIdentifier", "msg-42"), ("IssuerApplicationMessageDisplay", "FALSE"),
            ("MessageText", "You have earned a statement credit."), ("MessageExpiration", expires.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)),
            ("MessageLanguageCode", "en"));

        var answer = await Api.OkAsync("/accountholdermessaging", "AccountHolderMessagingRequest", Message(DateTimeOffset.UtcNow.AddDays(10)));
        var (status, tooLate) = await Api.PostAsync("/accountholdermessaging", "AccountHolderMessagingRequest", Message(DateTimeOffset.UtcNow.AddDays(31)));

        ((string)answer["AccountHolderMessagingResponse"]!["Token"]!["TokenUniqueReference"]!).ShouldBe(tur);
        Store.Find(tur)!.Messages.Select(m => m.MessageIdentifier).ShouldBe(["msg-42"]);
        status.ShouldBe(HttpStatusCode.BadRequest);
        Cs.ReasonCode(tooLate).ShouldBe("INVALID_FIELD_VALUE");
    }

    [Fact]
    public async Task LegacyIssuerConsole_isAnAliasOverTheSameStateHistoryAndComments()
    {
        var tur = await ActiveNotifiedAsync();

        var (status, _) = await _sim.ConsoleAsync("/issuer/tokens/suspend", new { tokenUniqueReferences = new[] { tur }, reasonCode = "DEVICE_STOLEN", userId = "u1", userName = "Console Agent", comment = "via the console" });

        status.ShouldBe(HttpStatusCode.OK);
        ((string)(await SearchTokenAsync(tur))["CurrentStatusCode"]!).ShouldBe("S");
        var comment = (await Api.OkAsync("/token/comments", "TokenCommentsRequest", Cs.Tur(tur)))["TokenCommentsResponse"]!["Comments"]!["Comment"]![0]!;
        ((string)comment["CommentText"]!).ShouldBe("via the console");
        var last = (await HistoryAsync(tur))[^1]!;
        ((string)last["ReasonCode"]!, (string)last["CommentId"]!, (string)last["AuditInfo"]!["UserName"]!).ShouldBe(("S", (string)comment["CommentId"]!, "Console Agent"));
        ((string)(await _sim.GetJsonAsync($"/issuer/tokens/{tur}/history"))["entries"]!.AsArray()[^1]!["commentId"]!).ShouldBe((string)comment["CommentId"]!);
    }

    [Fact]
    public async Task SystemStatus_answersWithoutABody()
    {
        var (status, body) = await Api.SendAsync("/systemstatus", null);

        status.ShouldBe(HttpStatusCode.OK);
        ((string)body["SystemStatusResponse"]!["CommentText"]!).ShouldContain("operational");
    }

    [Theory]
    [InlineData("/token/suspend", "{\"TokenSuspendRequest\":{\"TokenUniqueReference\":\"DWSPMC0000\",\"ReasonCode\":\"T\"}}", "MISSING_REQUIRED_FIELD")]
    [InlineData("/token/suspend", "{\"TokenSuspendRequest\":{\"TokenUniqueReference\":\"DWSPMC0000\",\"ReasonCode\":\"DEVICE_LOST\",\"AuditInfo\":{\"UserId\":\"u\",\"UserName\":\"n\",\"Organization\":\"o\"}}}", "INVALID_FIELD_LENGTH")]
    [InlineData("/token/suspend", "{\"TokenSuspendRequest\":{\"TokenUniqueReference\":\"DWSPMC0000\",\"ReasonCode\":\"Q\",\"AuditInfo\":{\"UserId\":\"u\",\"UserName\":\"n\",\"Organization\":\"o\"}}}", "INVALID_FIELD_VALUE")]
    [InlineData("/token/suspend", "{\"TokenSuspendRequest\":{\"TokenUniqueReference\":\"DWSPMC0000\",\"ReasonCode\":\"T\",\"AuditInfo\":{\"UserId\":\"u\",\"UserName\":\"n\"}}}", "MISSING_REQUIRED_FIELD")]
    [InlineData("/token/suspend", "{\"tokenUniqueReferences\":[\"DWSPMC0000\"],\"reasonCode\":\"OTHER\"}", "MISSING_REQUIRED_FIELD")]
    [InlineData("/token/delete", "{\"TokenDeleteRequest\":{\"TokenUniqueReference\":42,\"ReasonCode\":\"C\"}}", "INVALID_FIELD_FORMAT")]
    [InlineData("/token/comments", "{not json", "INVALID_JSON")]
    [InlineData("/token/comments", "{\"TokenCommentsRequest\":{\"TokenUniqueReference\":\"a\",\"TokenUniqueReference\":\"b\"}}", "INVALID_JSON")]
    [InlineData("/token/comments", "[1,2]", "MISSING_REQUIRED_FIELD")]
    public async Task BadRequest_isRefusedInTheErrorsEnvelope(string operation, string body, string reasonCode)
    {
        var (status, errors) = await Api.SendAsync(operation, null, raw: body);

        status.ShouldBe(HttpStatusCode.BadRequest);
        Cs.ReasonCode(errors).ShouldBe(reasonCode);
    }

    [Fact]
    public void SchemaCheck_rejectsUnpublishedNamesAndWrongTypes()
    {
        CustomerServiceSchemas.Validate("TokenSuspendResponseSchema", JsonNode.Parse("""{"TokenSuspendResponse":{"Token":{"TokenUniqueReference":"DWSPMC1"}}}""")!).ShouldBeEmpty();

        CustomerServiceSchemas.Validate("TokenSuspendResponseSchema", JsonNode.Parse("""{"TokenSuspendResponse":{"Token":{"tokenUniqueReference":"DWSPMC1"}}}""")!).ShouldNotBeEmpty();
        CustomerServiceSchemas.Validate("ErrorsResponse", JsonNode.Parse("""{"Errors":{"Error":[{"ReasonCode":"X","Recoverable":false}]}}""")!).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task OversizedBody_isRefusedInTheErrorsEnvelope()
    {
        var (status, errors) = await Api.SendAsync("/token/comments", null, raw: "{\"TokenCommentsRequest\":{\"CommentText\":\"" + new string('x', 70_000) + "\"}}");

        status.ShouldBe(HttpStatusCode.BadRequest);
        Cs.ReasonCode(errors).ShouldBe("INVALID_FIELD_LENGTH");
    }

    [Fact]
    public async Task UnknownToken_isEmptyResult()
    {
        var (status, errors) = await Api.PostAsync("/token/suspend", "TokenSuspendRequest", Cs.Tur("DWSPMC000000000000000000000000000000000000000000", ("ReasonCode", "T")));

        status.ShouldBe(HttpStatusCode.NotFound);
        Cs.ReasonCode(errors).ShouldBe("EMPTY_RESULT");
    }
}
