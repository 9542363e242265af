using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.TokenStates;

namespace ObotrGateway.UnitTests.Notifications;

/// <summary>The ordering rules a forged or broken NTU could abuse: future timestamps, GetToken's authority, the TRID.</summary>
public sealed class TokenUpdateOrderingTests
{
    private static readonly DateTimeOffset Received = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxAhead = TimeSpan.FromMinutes(5);

    private static GatewayToken Token(string status, DateTimeOffset? timestamp) => new()
    {
        Token = "gt_test",
        TokenRequestorId = "50123456789",
        TaskId = "task",
        Source = CardTokenizer.SourceOnFile,
        Status = status,
        StatusTimestamp = timestamp,
        PanSuffix = "0003",
        PanFingerprint = [0],
        TokenUniqueReference = "DWSPMC0001",
    };

    [Fact]
    public void ClampToReceipt_timestampFarAhead_isTheReceiptTime() =>
        TokenTransitions.ClampToReceipt(new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero), Received, MaxAhead).ShouldBe(Received);

    [Fact]
    public void ClampToReceipt_justBeyondTheMargin_isTheReceiptTime() =>
        TokenTransitions.ClampToReceipt(Received + MaxAhead + TimeSpan.FromMilliseconds(1), Received, MaxAhead).ShouldBe(Received);

    [Theory]
    [InlineData(-86_400)]
    [InlineData(0)]
    [InlineData(299)]
    [InlineData(300)]
    public void ClampToReceipt_pastOrWithinTheMargin_isKeptSoMdesOrderHolds(int secondsAhead) =>
        TokenTransitions.ClampToReceipt(Received.AddSeconds(secondsAhead), Received, MaxAhead).ShouldBe(Received.AddSeconds(secondsAhead));

    [Fact]
    public void ClampToReceipt_noTimestamp_staysAbsent() => TokenTransitions.ClampToReceipt(null, Received, MaxAhead).ShouldBeNull();

    [Fact]
    public void ClampToReceipt_zeroMargin_clampsAnythingAfterReceipt() =>
        TokenTransitions.ClampToReceipt(Received.AddTicks(1), Received, TimeSpan.Zero).ShouldBe(Received);

    [Fact]
    public void Apply_getTokenAnswerAfterAFutureDatedSuspension_restoresTheTokenWhateverItsOwnTimestamp()
    {
        // Stored before the clamp existed (or within the margin): a suspension "dated" later than MDES's last real change.
        var token = Token(TokenStatuses.Suspended, new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero));
        token.SuspendedBy = ["ISSUER"];
        var askedAt = new DateTimeOffset(2099, 1, 1, 0, 0, 1, TimeSpan.Zero);
        var answer = new MdesTokenState { Status = TokenStatuses.Active, StatusTimestamp = Received.AddDays(-30) };

        var outcome = TokenTransitions.Apply(token, TokenReport.Answered(answer, askedAt), askedAt);

        outcome.Applied.ShouldBeTrue();
        token.Status.ShouldBe(TokenStatuses.Active);
        token.SuspendedBy.ShouldBeEmpty();
        token.StatusTimestamp.ShouldBe(Received.AddDays(-30));
    }

    [Fact]
    public void Apply_getTokenAnswerAskedBeforeANewerNtu_isStale()
    {
        // The NTU reported a change made after we asked: our answer predates it.
        var token = Token(TokenStatuses.Suspended, Received.AddSeconds(2));
        var answer = new MdesTokenState { Status = TokenStatuses.Active, StatusTimestamp = Received.AddDays(-1) };

        TokenTransitions.Apply(token, TokenReport.Answered(answer, Received.AddSeconds(1)), Received.AddSeconds(3)).Applied.ShouldBeFalse();
        token.Status.ShouldBe(TokenStatuses.Suspended);
    }

    [Fact]
    public void Apply_getTokenAnswerAfterDeactivation_isStale() =>
        TokenTransitions.Apply(Token(TokenStatuses.Deactivated, Received), TokenReport.Answered(new MdesTokenState { Status = TokenStatuses.Active }, Received.AddHours(1)),
            Received).Applied.ShouldBeFalse();

    [Fact]
    public void Apply_ntuOlderThanTheHeldTimestamp_isStaleAsBefore() =>
        TokenTransitions.Apply(Token(TokenStatuses.Active, Received),
            TokenReport.Notified(new MdesTokenState { TokenRequestorId = "50123456789", Status = TokenStatuses.Suspended, StatusTimestamp = Received.AddSeconds(-1) },
                Received, MaxAhead), Received).Applied.ShouldBeFalse();

    [Fact]
    public void Apply_lifecycleAnswerAfterAnOlderNtu_appliesThoughItsTimestampIsOlder()
    {
        var token = Token(TokenStatuses.Suspended, Received);

        TokenTransitions.Apply(token, TokenReport.Lifecycle(new MdesTokenState { Status = TokenStatuses.Active, StatusTimestamp = Received.AddMinutes(-10) },
            Received.AddSeconds(1)), Received.AddSeconds(2)).Applied.ShouldBeTrue();
        token.Status.ShouldBe(TokenStatuses.Active);
    }

    [Theory]
    [InlineData("50123456789", true)]
    [InlineData("59999999999", false)]
    [InlineData(null, false)]
    [InlineData("", false)]
    public void NamesTokenRequestor_ntuTrid_mustBeTheTokens(string? trid, bool names) =>
        TokenTransitions.NamesTokenRequestor(Token(TokenStatuses.Active, Received), new MdesTokenState { TokenRequestorId = trid }).ShouldBe(names);
}
