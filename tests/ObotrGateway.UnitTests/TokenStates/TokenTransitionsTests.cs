using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.TokenStates;

namespace ObotrGateway.UnitTests.TokenStates;

/// <summary>The one definition of a change, whichever path reports the token's state (ADR 0901).</summary>
public sealed class TokenTransitionsTests
{
    private const string Trid = "50123456789";
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private static GatewayToken Token(string status, DateTimeOffset? timestamp = null) => new()
    {
        Token = "gt_test",
        TokenRequestorId = Trid,
        TaskId = "task",
        Source = CardTokenizer.SourceOnFile,
        Status = status,
        StatusTimestamp = timestamp ?? T0,
        PanSuffix = "0003",
        PanFingerprint = [0],
        TokenUniqueReference = "DWSPMC0001",
        UpdatedAt = T0,
    };

    private static TokenReport Ntu(MdesTokenState state, DateTimeOffset receivedAt) =>
        TokenReport.Notified(state with { TokenRequestorId = Trid }, receivedAt, TimeSpan.FromMinutes(5));

    [Fact]
    public void Lifecycle_refusedSuspendWhoseGetTokenRepeatsTheStatus_isUnchangedWithoutEventAndWritesNothing()
    {
        // The gap ADR 0405 named: MDES refused a suspend of an INACTIVE token and GetToken says INACTIVE with a newer timestamp.
        var token = Token(TokenStatuses.Inactive);
        var report = TokenReport.Lifecycle(new MdesTokenState { Status = TokenStatuses.Inactive, StatusTimestamp = T0.AddMinutes(1) }, T0.AddMinutes(2));

        var transition = TokenTransitions.Apply(token, report, T0.AddMinutes(3));

        transition.Verdict.ShouldBe(TokenVerdict.Unchanged);
        transition.Event.ShouldBeNull();
        token.StatusTimestamp.ShouldBe(T0);
        token.UpdatedAt.ShouldBe(T0);
    }

    [Fact]
    public void Ntu_sameStatusWithANewerTimestamp_isUnchangedWithoutEventButKeepsTheTimestampForOrdering()
    {
        var token = Token(TokenStatuses.Inactive);

        var transition = TokenTransitions.Apply(token, Ntu(new MdesTokenState { Status = TokenStatuses.Inactive, StatusTimestamp = T0.AddMinutes(1) },
            T0.AddMinutes(1)), T0.AddMinutes(2));

        transition.Verdict.ShouldBe(TokenVerdict.Unchanged);
        transition.Event.ShouldBeNull();
        token.StatusTimestamp.ShouldBe(T0.AddMinutes(1));
    }

    [Theory]
    [InlineData(TokenTransitions.EventNotification)]
    [InlineData(TokenTransitions.EventRefresh)]
    [InlineData(TokenTransitions.EventLifecycle)]
    public void Suspension_fromEverySourceThatAnnounces_isOneChangeWithItsEventAndAPurge(string eventSource)
    {
        var token = Token(TokenStatuses.Active);
        var state = new MdesTokenState { Status = TokenStatuses.Suspended, SuspendedBy = ["ISSUER"], StatusTimestamp = T0.AddSeconds(1) };
        var report = eventSource switch
        {
            TokenTransitions.EventNotification => Ntu(state, T0.AddSeconds(1)),
            TokenTransitions.EventRefresh => TokenReport.Answered(state, T0.AddSeconds(2)),
            _ => TokenReport.Lifecycle(state, T0.AddSeconds(2)),
        };

        var transition = TokenTransitions.Apply(token, report, T0.AddSeconds(3));

        transition.Verdict.ShouldBe(TokenVerdict.Changed);
        transition.Event.ShouldBe(eventSource);
        transition.PurgeCryptograms.ShouldBeTrue();
        token.SuspendedBy.ShouldBe(["ISSUER"]);
    }

    [Fact]
    public void Lifecycle_deleteAnswer_appliesEvenAgainstANewerHeldTimestampAndArchives()
    {
        var token = Token(TokenStatuses.Active, T0.AddHours(1));

        var transition = TokenTransitions.Apply(token, TokenReport.Lifecycle(new MdesTokenState { Status = TokenStatuses.Deactivated }, T0), T0.AddMinutes(1));

        transition.Verdict.ShouldBe(TokenVerdict.Changed);
        token.Status.ShouldBe(TokenStatuses.Deactivated);
        token.ArchivedAt.ShouldBe(T0.AddMinutes(1));
        transition.PurgeCryptograms.ShouldBeTrue();
    }

    [Fact]
    public void Tokenize_pendingRow_becomesInactiveWithItsSuffixesAndAnnouncesNothing()
    {
        var token = Token(TokenStatuses.Pending, timestamp: null);
        token.StatusTimestamp = null;

        var transition = TokenTransitions.Apply(token, TokenReport.Tokenized(new MdesTokenState { TokenInfo = new MdesTokenInfo { TokenPanSuffix = "4321" } }),
            T0);

        transition.Verdict.ShouldBe(TokenVerdict.Changed);
        transition.Event.ShouldBeNull();
        token.Status.ShouldBe(TokenStatuses.Inactive);
        token.TokenPanSuffix.ShouldBe("4321");
    }

    [Fact]
    public void Ntu_forAnotherTrid_isRejectedAndChangesNothing()
    {
        var token = Token(TokenStatuses.Active);

        var transition = TokenTransitions.Apply(token, TokenReport.Notified(new MdesTokenState { TokenRequestorId = "59999999999", Status = TokenStatuses.Suspended },
            T0, TimeSpan.FromMinutes(5)), T0);

        transition.Verdict.ShouldBe(TokenVerdict.Rejected);
        token.Status.ShouldBe(TokenStatuses.Active);
    }

    [Fact]
    public void Ntu_farFutureTimestamp_isClampedToItsReceipt()
    {
        var token = Token(TokenStatuses.Active);

        var transition = TokenTransitions.Apply(token, Ntu(new MdesTokenState { Status = TokenStatuses.Suspended, StatusTimestamp = T0.AddYears(70) },
            T0.AddSeconds(5)), T0.AddSeconds(6));

        transition.TimestampClamped.ShouldBeTrue();
        token.StatusTimestamp.ShouldBe(T0.AddSeconds(5));
    }
}
