using System.Net;
using System.Text.Json.Nodes;
using ObotrGateway.IntegrationTests.Simulator.Support;

namespace ObotrGateway.IntegrationTests.Simulator;

[Collection(SimulatorCollectionDefinition.Name)]
public sealed class AcquirerTests(SimulatorFixture fixture)
{
    private readonly SimulatorHost _sim = fixture.Host;

    private async Task<JsonObject> TransactAsync(string tur)
    {
        var response = await _sim.Mdes.TransactAsync(tur);
        response.Status.ShouldBe(HttpStatusCode.OK, response.Body.ToJsonString());
        return _sim.Mdes.Decrypt(response.Body["encryptedPayload"]!);
    }

    private async Task<JsonObject> AuthorizeAsync(object request)
    {
        var (status, body) = await _sim.ConsoleAsync("/acquirer/authorizations", request);
        status.ShouldBe(HttpStatusCode.OK, body?.ToJsonString());
        return body!;
    }

    private static object Dsrp(JsonObject payload, string? cryptogram, string sli = "246", long amount = 1999) => new
    {
        tokenNumber = (string)payload["accountNumber"]!,
        expiryMonth = ((string)payload["applicationExpiryDate"]!)[2..4],
        expiryYear = ((string)payload["applicationExpiryDate"]!)[..2],
        cryptogram,
        sli,
        amount,
        currency = "EUR",
    };

    [Fact]
    public async Task Transact_returnsTokenExpiryTrack2AndCryptogram()
    {
        var tur = await _sim.Mdes.ActiveTokenAsync();

        var payload = await TransactAsync(tur);

        var number = (string)payload["accountNumber"]!;
        ((string)payload["applicationExpiryDate"]!).Length.ShouldBe(6);
        ((string)payload["panSequenceNumber"]!).ShouldBe("01");
        ((string)payload["track2Equivalent"]!).ShouldStartWith(number + "D" + ((string)payload["applicationExpiryDate"]!)[..4]);
        ((string)payload["track2Equivalent"]!).Length.ShouldBeLessThanOrEqualTo(38);
        ((string)payload["de48se43Data"]!).Length.ShouldBe(32);
    }

    [Fact]
    public async Task Authorization_genuineCryptogram_approvedOnceThenReplayDeclined()
    {
        var tur = await _sim.Mdes.ActiveTokenAsync();
        var payload = await TransactAsync(tur);
        var cryptogram = (string)payload["de48se43Data"]!;

        var first = await AuthorizeAsync(Dsrp(payload, cryptogram));
        var replay = await AuthorizeAsync(Dsrp(payload, cryptogram));

        ((string)first["status"]!).ShouldBe("approved");
        ((string)first["authorizationId"]!).ShouldNotBeNullOrEmpty();
        ((string)replay["status"]!).ShouldBe("declined");
        ((string)replay["declineReason"]!).ShouldBe("CRYPTOGRAM_ALREADY_USED");
    }

    [Fact]
    public async Task Authorization_forgedOrOtherTokensCryptogram_declinedInvalidCryptogram()
    {
        var tur = await _sim.Mdes.ActiveTokenAsync();
        var other = await _sim.Mdes.ActiveTokenAsync();
        var payload = await TransactAsync(tur);
        var otherPayload = await TransactAsync(other);

        var forged = await AuthorizeAsync(Dsrp(payload, "0001" + new string('A', 28)));
        var crossed = await AuthorizeAsync(Dsrp(payload, (string)otherPayload["de48se43Data"]!));

        ((string)forged["declineReason"]!).ShouldBe("INVALID_CRYPTOGRAM");
        ((string)crossed["declineReason"]!).ShouldBe("INVALID_CRYPTOGRAM");
    }

    [Fact]
    public async Task Authorization_recurringSli247_onlyAfterInitial246()
    {
        var tur = await _sim.Mdes.ActiveTokenAsync();
        var payload = await TransactAsync(tur);
        var recurring = new { tokenNumber = (string)payload["accountNumber"]!, sli = "247", amount = 500L, currency = "EUR" };

        var before = await AuthorizeAsync(recurring);
        ((string)before["declineReason"]!).ShouldBe("NO_INITIAL_PAYMENT");

        ((string)(await AuthorizeAsync(Dsrp(payload, (string)payload["de48se43Data"]!)))["status"]!).ShouldBe("approved");
        var after = await AuthorizeAsync(recurring);
        ((string)after["status"]!).ShouldBe("approved");
    }

    [Fact]
    public async Task Authorization_declines_carryReasonCodes()
    {
        var tur = await _sim.Mdes.ActiveTokenAsync();
        var payload = await TransactAsync(tur);
        var cryptogram = (string)payload["de48se43Data"]!;

        ((string)(await AuthorizeAsync(Dsrp(payload, null)))["declineReason"]!).ShouldBe("CRYPTOGRAM_REQUIRED");
        ((string)(await AuthorizeAsync(Dsrp(payload, cryptogram, sli: "212")))["declineReason"]!).ShouldBe("INVALID_SLI");
        ((string)(await AuthorizeAsync(new { tokenNumber = (string)payload["accountNumber"]!, expiryMonth = "01", expiryYear = "20", cryptogram, sli = "246", amount = 100L, currency = "EUR" }))["declineReason"]!).ShouldBe("EXPIRY_MISMATCH");
        ((string)(await AuthorizeAsync(Dsrp(payload, cryptogram, amount: 1051)))["declineReason"]!).ShouldBe("INSUFFICIENT_FUNDS");

        await _sim.Mdes.LifecycleAsync(Paths.Suspend, "OTHER", tur);
        var fresh = await AuthorizeAsync(Dsrp(payload, cryptogram));
        ((string)fresh["declineReason"]!).ShouldBe("TOKEN_NOT_ACTIVE");
    }

    [Fact]
    public async Task Authorization_panFallback_approvesValidCardAndDeclinesDeclinedRange()
    {
        var ok = await AuthorizeAsync(new { pan = "5204730000100003", expiryMonth = "12", expiryYear = "30", amount = 100L, currency = "USD" });
        var declined = await AuthorizeAsync(new { pan = "5204730000300009", expiryMonth = "12", expiryYear = "30", amount = 100L, currency = "USD" });
        var (status, _) = await _sim.ConsoleAsync("/acquirer/authorizations", new { amount = 100L, currency = "USD" });

        ((string)ok["status"]!).ShouldBe("approved");
        ((string)declined["declineReason"]!).ShouldBe("ISSUER_DECLINED");
        status.ShouldBe(HttpStatusCode.BadRequest);
    }
}
