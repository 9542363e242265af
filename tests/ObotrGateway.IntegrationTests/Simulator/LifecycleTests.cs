using System.Net;
using System.Text.Json.Nodes;
using ObotrGateway.IntegrationTests.Simulator.Support;

namespace ObotrGateway.IntegrationTests.Simulator;

[Collection(SimulatorCollectionDefinition.Name)]
public sealed class LifecycleTests(SimulatorFixture fixture)
{
    private readonly SimulatorHost _sim = fixture.Host;

    private static object Console(string tur, string reasonCode = "SUSPECTED_FRAUD", bool? deleteFromConsumerApp = null) => new
    {
        tokenUniqueReferences = new[] { tur },
        reasonCode,
        userId = "csr-17",
        userName = "Pat Agent",
        deleteFromConsumerApp,
    };

    /// <summary>
    /// An active token whose activation NTU has already arrived: the NTU is delivered after the state changes, so
    /// counting NTUs right after ACTIVE would race it.
    /// </summary>
    private async Task<string> ActiveTokenNotifiedAsync(string pan = "5204730000100003")
    {
        var tur = await _sim.Mdes.ActiveTokenAsync(pan);
        await _sim.Ntu.WaitAsync(tur, ntu => (string?)ntu.Token["status"] == "ACTIVE");
        return tur;
    }

    [Fact]
    public async Task TokenRequestorSuspendUnsuspendDelete_followTableAndSendNoNtu()
    {
        var tur = await ActiveTokenNotifiedAsync();
        var ntusBefore = _sim.Ntu.For(tur).Count;

        var suspended = await _sim.Mdes.LifecycleAsync(Paths.Suspend, "OTHER", tur);
        ((string)suspended.Body["tokens"]![0]!["status"]!).ShouldBe("SUSPENDED");
        ((string)suspended.Body["tokens"]![0]!["suspendedBy"]![0]!).ShouldBe("TOKEN_REQUESTOR");
        (await _sim.Mdes.TransactAsync(tur)).ReasonCode.ShouldBe("INVALID_TOKEN_STATUS");

        var again = await _sim.Mdes.LifecycleAsync(Paths.Suspend, "OTHER", tur);
        again.Status.ShouldBe(HttpStatusCode.OK);

        var resumed = await _sim.Mdes.LifecycleAsync(Paths.Unsuspend, "NOT_FRAUD", tur);
        ((string)resumed.Body["tokens"]![0]!["status"]!).ShouldBe("ACTIVE");
        (await _sim.Mdes.LifecycleAsync(Paths.Unsuspend, "OTHER", tur)).ReasonCode.ShouldBe("INVALID_TOKEN_STATUS");

        var deleted = await _sim.Mdes.LifecycleAsync(Paths.Delete, "OTHER", tur);
        ((string)deleted.Body["tokens"]![0]!["status"]!).ShouldBe("DEACTIVATED");
        (await _sim.Mdes.LifecycleAsync(Paths.Delete, "OTHER", tur)).ReasonCode.ShouldBe("INVALID_TOKEN_STATUS");
        (await _sim.Mdes.LifecycleAsync(Paths.Suspend, "OTHER", tur)).ReasonCode.ShouldBe("INVALID_TOKEN_STATUS");
        (await _sim.Mdes.TransactAsync(tur)).ReasonCode.ShouldBe("INVALID_TOKEN_STATUS");

        await Task.Delay(200);
        _sim.Ntu.For(tur).Count.ShouldBe(ntusBefore);
    }

    [Fact]
    public async Task InactiveToken_canBeDeletedButNotSuspendedOrTransacted()
    {
        var tur = (string)(await _sim.Mdes.TokenizeAsync("5204730000100102")).Body["tokenUniqueReference"]!;

        (await _sim.Mdes.LifecycleAsync(Paths.Suspend, "OTHER", tur)).ReasonCode.ShouldBe("INVALID_TOKEN_STATUS");
        (await _sim.Mdes.TransactAsync(tur)).ReasonCode.ShouldBe("INVALID_TOKEN_STATUS");
        (await _sim.Mdes.LifecycleAsync(Paths.Delete, "OTHER", tur)).Status.ShouldBe(HttpStatusCode.OK);

        await Task.Delay(800);
        (await _sim.Mdes.StatusOfAsync(tur)).ShouldBe("DEACTIVATED");
    }

    [Fact]
    public async Task Batch_withOneUnknownToken_changesNothing()
    {
        var tur = await _sim.Mdes.ActiveTokenAsync();

        var response = await _sim.Mdes.LifecycleAsync(Paths.Suspend, "OTHER", tur, "DWSPMC000000000000000000000000000000000000000000");

        response.ReasonCode.ShouldBe("INVALID_TOKEN_UNIQUE_REFERENCE");
        (await _sim.Mdes.StatusOfAsync(tur)).ShouldBe("ACTIVE");
    }

    [Fact]
    public async Task MultipleSuspenders_eachUnsuspendRemovesOnlyItsOwnHold()
    {
        var tur = await _sim.Mdes.ActiveTokenAsync();
        var card = (string)(await _sim.ConsoleAsync("/issuer/tokens/search", new { tokenUniqueReference = tur })).Body!["tokens"]![0]!["cardContractId"]!;

        (await _sim.Mdes.LifecycleAsync(Paths.Suspend, "OTHER", tur)).Status.ShouldBe(HttpStatusCode.OK);
        (await _sim.ConsoleAsync("/issuer/tokens/suspend", Console(tur))).Status.ShouldBe(HttpStatusCode.OK);
        (await _sim.ConsoleAsync($"/cards/{card}/tokens", new { tokenStatus = "SUSPEND" }, HttpMethod.Put)).Status.ShouldBe(HttpStatusCode.NoContent);
        var token = (await _sim.Mdes.GetTokenAsync(tur)).Body["token"]!;
        token["suspendedBy"]!.AsArray().Select(n => (string)n!).ShouldBe(["ISSUER", "TOKEN_REQUESTOR", "CARDHOLDER"], ignoreOrder: true);

        var afterIssuer = await _sim.ConsoleAsync("/issuer/tokens/unsuspend", Console(tur, "NOT_FRAUD"));
        ((string)afterIssuer.Body!["tokens"]![0]!["status"]!).ShouldBe("SUSPENDED");
        var afterRequestor = await _sim.Mdes.LifecycleAsync(Paths.Unsuspend, "OTHER", tur);
        ((string)afterRequestor.Body["tokens"]![0]!["status"]!).ShouldBe("SUSPENDED");
        (await _sim.Mdes.LifecycleAsync(Paths.Unsuspend, "OTHER", tur)).Status.ShouldBe(HttpStatusCode.OK);
        (await _sim.Mdes.StatusOfAsync(tur)).ShouldBe("SUSPENDED");

        (await _sim.ConsoleAsync($"/cards/{card}/tokens", new { tokenStatus = "RESUME" }, HttpMethod.Put)).Status.ShouldBe(HttpStatusCode.NoContent);
        (await _sim.Mdes.StatusOfAsync(tur)).ShouldBe("ACTIVE");
    }

    [Fact]
    public async Task IssuerConsoleChanges_sendNtusWithReasonAndRecordUserInHistory()
    {
        var tur = await _sim.Mdes.ActiveTokenAsync();

        await _sim.ConsoleAsync("/issuer/tokens/suspend", Console(tur, "DEVICE_LOST"));
        var suspended = await _sim.Ntu.WaitAsync(tur, n => (string?)n.Token["status"] == "SUSPENDED");
        ((string)suspended.Token["eventReasonCode"]!).ShouldBe("DEVICE_LOST");
        ((string)suspended.Token["suspendedBy"]![0]!).ShouldBe("ISSUER");

        await _sim.ConsoleAsync("/issuer/tokens/unsuspend", Console(tur, "DEVICE_FOUND"));
        await _sim.Ntu.WaitAsync(tur, n => (string?)n.Token["eventReasonCode"] == "DEVICE_FOUND" && (string?)n.Token["status"] == "ACTIVE");

        await _sim.ConsoleAsync("/issuer/tokens/delete", Console(tur, "ACCOUNT_CLOSED"));
        await _sim.Ntu.WaitAsync(tur, n => (string?)n.Token["status"] == "DEACTIVATED");
        (await _sim.ConsoleAsync("/issuer/tokens/suspend", Console(tur))).Status.ShouldBe(HttpStatusCode.Conflict);

        var history = await _sim.GetJsonAsync($"/issuer/tokens/{tur}/history");
        var entries = history["entries"]!.AsArray();
        entries.Select(e => (string)e!["action"]!).ShouldBe(["TOKENIZE", "ACTIVATE", "SUSPEND", "UNSUSPEND", "DELETE"]);
        ((string)entries[2]!["userId"]!).ShouldBe("csr-17");
        ((string)entries[2]!["userName"]!).ShouldBe("Pat Agent");
        ((string)entries[4]!["toStatus"]!).ShouldBe("DEACTIVATED");
    }

    [Fact]
    public async Task IssuerConsole_withoutUser_isRejectedForAudit()
    {
        var tur = await _sim.Mdes.ActiveTokenAsync();

        var response = await _sim.ConsoleAsync("/issuer/tokens/suspend", new { tokenUniqueReferences = new[] { tur }, reasonCode = "OTHER" });

        response.Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task DeleteFromConsumerApp_keepsTokenOnMdesWithoutNtu()
    {
        var tur = await ActiveTokenNotifiedAsync();
        var before = _sim.Ntu.For(tur).Count;

        var response = await _sim.ConsoleAsync("/issuer/tokens/delete", Console(tur, "OTHER", deleteFromConsumerApp: true));

        response.Status.ShouldBe(HttpStatusCode.OK);
        (await _sim.Mdes.StatusOfAsync(tur)).ShouldBe("ACTIVE");
        await Task.Delay(150);
        _sim.Ntu.For(tur).Count.ShouldBe(before);
        var history = await _sim.GetJsonAsync($"/issuer/tokens/{tur}/history");
        ((string)history["entries"]!.AsArray()[^1]!["action"]!).ShouldBe("DELETE_FROM_CONSUMER_APP");
    }

    [Fact]
    public async Task Update_fpanSwap_sendsNtuWithNewSuffixAndExpiry()
    {
        var tur = await _sim.Mdes.ActiveTokenAsync("5204730000100110");

        var response = await _sim.ConsoleAsync("/issuer/tokens/update", new
        {
            tokenUniqueReferences = new[] { tur },
            userId = "csr-1",
            userName = "Sam",
            newAccountNumber = "5204730000199997",
            newExpiryMonth = "09",
            newExpiryYear = "31",
        });

        response.Status.ShouldBe(HttpStatusCode.OK, response.Body?.ToJsonString());
        var ntu = await _sim.Ntu.WaitAsync(tur, n => (string?)n.Token["tokenInfo"]?["accountPanSuffix"] == "9997");
        ((string)ntu.Token["tokenInfo"]!["accountPanExpiry"]!).ShouldBe("0931");
        var search = await _sim.ConsoleAsync("/issuer/tokens/search", new { pan = "5204730000199997" });
        ((string)search.Body!["tokens"]![0]!["tokenUniqueReference"]!).ShouldBe(tur);
    }

    [Fact]
    public async Task Update_productConfigChange_sendsNtuWithNewAssetIds()
    {
        var tur = await _sim.Mdes.ActiveTokenAsync();
        var before = (string)(await _sim.Mdes.GetTokenAsync(tur)).Body["token"]!["productConfig"]!["cardBackgroundCombinedAssetId"]!;

        await _sim.ConsoleAsync("/issuer/tokens/update", new { tokenUniqueReferences = new[] { tur }, userId = "u", userName = "n", productConfigId = "obotr-world-elite" });

        var ntu = await _sim.Ntu.WaitAsync(tur, n => n.Token["productConfig"] is not null && (string?)n.Token["status"] == "ACTIVE" && n.Token["eventReasonCode"] is not null);
        ((string)ntu.Token["productConfig"]!["cardBackgroundCombinedAssetId"]!).ShouldNotBe(before);
    }

    [Fact]
    public async Task Update_alternateAccountIdRemovalOnly_changesSuffixWithoutNtu()
    {
        var tur = await ActiveTokenNotifiedAsync("5204730000800008");
        var search = await _sim.ConsoleAsync("/issuer/tokens/search", new { tokenUniqueReference = tur });
        ((string)search.Body!["tokens"]![0]!["accountPanSuffix"]!).ShouldBe("6008");
        var before = _sim.Ntu.For(tur).Count;

        await _sim.ConsoleAsync("/issuer/tokens/update", new { tokenUniqueReferences = new[] { tur }, userId = "u", userName = "n", removeAlternateAccountId = true });

        var after = await _sim.ConsoleAsync("/issuer/tokens/search", new { tokenUniqueReference = tur });
        ((string)after.Body!["tokens"]![0]!["accountPanSuffix"]!).ShouldBe("0008");
        await Task.Delay(150);
        _sim.Ntu.For(tur).Count.ShouldBe(before);
    }

    [Fact]
    public async Task Redigitize_issuesNewTokenNumberAndNtuRedigitizationComplete()
    {
        var tur = await _sim.Mdes.ActiveTokenAsync();
        var oldNumber = (string)_sim.Mdes.Decrypt((await _sim.Mdes.TransactAsync(tur)).Body["encryptedPayload"]!)["accountNumber"]!;

        var response = await _sim.ConsoleAsync("/issuer/tokens/redigitize", Console(tur, "OTHER"));

        response.Status.ShouldBe(HttpStatusCode.OK);
        await _sim.Ntu.WaitAsync(tur, n => (string?)n.Token["eventReasonCode"] == "REDIGITIZATION_COMPLETE");
        var newNumber = (string)_sim.Mdes.Decrypt((await _sim.Mdes.TransactAsync(tur)).Body["encryptedPayload"]!)["accountNumber"]!;
        newNumber.ShouldNotBe(oldNumber);
    }

    [Fact]
    public async Task SetTokenStatus_singleTokenByNumber_affectsOnlyThatToken()
    {
        const string Pan = "5204730000100128";
        var first = await _sim.Mdes.ActiveTokenAsync(Pan);
        var second = await _sim.Mdes.ActiveTokenAsync(Pan);
        var number = (string)_sim.Mdes.Decrypt((await _sim.Mdes.TransactAsync(first)).Body["encryptedPayload"]!)["accountNumber"]!;
        var card = (string)(await _sim.ConsoleAsync("/issuer/tokens/search", new { pan = Pan })).Body!["tokens"]![0]!["cardContractId"]!;

        (await _sim.ConsoleAsync($"/cards/{card}/tokens", new { tokenStatus = "DEACTIVATE", tokenNumber = number }, HttpMethod.Put)).Status.ShouldBe(HttpStatusCode.NoContent);

        (await _sim.Mdes.StatusOfAsync(first)).ShouldBe("DEACTIVATED");
        (await _sim.Mdes.StatusOfAsync(second)).ShouldBe("ACTIVE");
        await _sim.Ntu.WaitAsync(first, n => (string?)n.Token["status"] == "DEACTIVATED");
        (await _sim.ConsoleAsync("/cards/cc-unknown/tokens", new { tokenStatus = "SUSPEND" }, HttpMethod.Put)).Status.ShouldBe(HttpStatusCode.NotFound);
        (await _sim.ConsoleAsync($"/cards/{card}/tokens", new { tokenStatus = "PAUSE" }, HttpMethod.Put)).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task SearchTokens_byEncryptedPan_listsOwnNonDeactivatedTokens()
    {
        const string Pan = "5204730000100136";
        var kept = await _sim.Mdes.ActiveTokenAsync(Pan);
        var deleted = await _sim.Mdes.ActiveTokenAsync(Pan);
        await _sim.Mdes.LifecycleAsync(Paths.Delete, "OTHER", deleted);

        var response = await _sim.Mdes.PostAsync(Paths.SearchTokens, new JsonObject
        {
            ["requestId"] = "s1",
            ["tokenRequestorId"] = TestMdesClient.Trid,
            ["fundingAccountInfo"] = new JsonObject
            {
                ["encryptedPayload"] = TestFle.Encrypt(new JsonObject { ["cardAccountData"] = new JsonObject { ["accountNumber"] = Pan } }, _sim.Mdes.MdesCertificate),
            },
        });

        response.Status.ShouldBe(HttpStatusCode.OK, response.Body.ToJsonString());
        response.Body["tokens"]!.AsArray().Select(t => (string)t!["tokenUniqueReference"]!).ShouldBe([kept]);
    }

    [Fact]
    public async Task GetToken_withDetail_returnsEncryptedTokenNumberAndPar()
    {
        var tur = await _sim.Mdes.ActiveTokenAsync();

        var response = await _sim.Mdes.GetTokenAsync(tur, detail: true);

        response.Body["responseHost"].ShouldBeNull();
        ((string)response.Body["token"]!["tokenRequestorId"]!).ShouldBe(TestMdesClient.Trid);
        var clear = _sim.Mdes.Decrypt(response.Body["tokenDetail"]!);
        ((string)clear["paymentAccountReference"]!).Length.ShouldBe(29);
    }
}
