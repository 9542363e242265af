using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ObotrGateway.MdesSimulator.DigitalEnablement;
using ObotrGateway.MdesSimulator.Hosting;
using ObotrGateway.MdesSimulator.Security;
using ObotrGateway.MdesSimulator.Tokens;

namespace ObotrGateway.UnitTests.Simulator;

public sealed class CryptogramAndWireTests
{
    private static readonly SimulatorSecret Secret = new(Options.Create(new SimulatorOptions { CryptogramSecret = "unit" }));

    [Fact]
    public void Cryptogram_redeemedOnce_thenAlreadyUsed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var ledger = new CryptogramLedger(Secret, time);
        var token = TokenLifecycleTests.NewToken(TokenStatus.Active);

        var cryptogram = ledger.Issue(token, "291231", TimeSpan.FromHours(1));

        cryptogram.Length.ShouldBe(32);
        ledger.Redeem(cryptogram, token.TokenNumber).ShouldBe(RedeemResult.Approved);
        ledger.Redeem(cryptogram, token.TokenNumber).ShouldBe(RedeemResult.AlreadyUsed);
    }

    [Fact]
    public void Cryptogram_afterValidity_isExpired_andForOtherToken_isInvalid()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var ledger = new CryptogramLedger(Secret, time);
        var token = TokenLifecycleTests.NewToken(TokenStatus.Active);
        var first = ledger.Issue(token, "291231", TimeSpan.FromMinutes(5));
        var second = ledger.Issue(token, "291231", TimeSpan.FromMinutes(5));

        ledger.Redeem(first, "5204731000000019").ShouldBe(RedeemResult.Invalid);
        time.Advance(TimeSpan.FromMinutes(6));
        ledger.Redeem(second, token.TokenNumber).ShouldBe(RedeemResult.Expired);
        first[..4].ShouldBe("0001");
        second[..4].ShouldBe("0002");
    }

    [Fact]
    public void SimulatorSecret_derivesStableOpaqueIdentifiers()
    {
        var par = Secret.PaymentAccountReference("5204730000100003");

        par.Length.ShouldBe(29);
        par.ShouldStartWith("5001");
        Secret.PaymentAccountReference("5204730000100003").ShouldBe(par);
        Secret.CardContractId("5204730000100003").ShouldNotContain("5204730000100003");
        Secret.PanUniqueReference("5204730000100003").Length.ShouldBe(48);
    }

    [Fact]
    public void Track2_andApplicationExpiryDate_haveContractShapes()
    {
        var token = TokenLifecycleTests.NewToken(TokenStatus.Active);
        token.TokenExpiryMonth = "02";
        token.TokenExpiryYear = "28";

        TokenViews.ApplicationExpiryDate(token).ShouldBe("280229");
        MdesEndpoints.Track2("5204731000000001", "2802").ShouldBe("5204731000000001D28022010000000000000F");
    }

    [Fact]
    public void OAuthBaseString_sortsParametersAndEncodesOnce()
    {
        var oauth = new Dictionary<string, string>
        {
            ["oauth_consumer_key"] = "ck!1",
            ["oauth_nonce"] = "abc",
            ["oauth_signature"] = "ignored",
            ["oauth_body_hash"] = "h+/=",
        };

        var raw = OAuthVerifier.SignatureBaseString("post", "https://api.example.com/mdes/x", [new("b", "2"), new("a", "1")], oauth, encodeOAuthValues: false);

        raw.ShouldBe("POST&https%3A%2F%2Fapi.example.com%2Fmdes%2Fx&a%3D1%26b%3D2%26oauth_body_hash%3Dh%2B%2F%3D%26oauth_consumer_key%3Dck%211%26oauth_nonce%3Dabc");
    }

    [Fact]
    public void TaskStatus_followsTimeThenActivation()
    {
        var created = DateTimeOffset.UnixEpoch;
        var task = new TaskRecord("50123456789", "t", "DWSPMC", created);
        var token = TokenLifecycleTests.NewToken(TokenStatus.Inactive);
        var delay = TimeSpan.FromSeconds(1);

        MdesEndpoints.TaskStatus(task, token, created.AddMilliseconds(100), delay).ShouldBe("PENDING");
        MdesEndpoints.TaskStatus(task, token, created.AddMilliseconds(700), delay).ShouldBe("IN_PROGRESS");
        token.ActivatedAt = created.AddSeconds(1);
        MdesEndpoints.TaskStatus(task, token, created.AddSeconds(2), delay).ShouldBe("COMPLETED");
        MdesEndpoints.TaskStatus(task with { Failed = true }, null, created, delay).ShouldBe("FAILED");
    }
}
