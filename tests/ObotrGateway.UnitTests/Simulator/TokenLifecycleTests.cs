using ObotrGateway.MdesSimulator.Tokens;

namespace ObotrGateway.UnitTests.Simulator;

public sealed class TokenLifecycleTests
{
    // Rows of seeds/mdes-customer-service-support.md ("In Progress" = INACTIVE, "Deleted" = DEACTIVATED) plus
    // Activate (MDES only) and Transact (ACTIVE only). Columns: INACTIVE, ACTIVE, SUSPENDED, DEACTIVATED.
    public static TheoryData<string, string, bool> Matrix()
    {
        var expected = new Dictionary<TokenAction, bool[]>
        {
            [TokenAction.Activate] = [true, false, false, false],
            [TokenAction.Suspend] = [false, true, true, false],
            [TokenAction.Unsuspend] = [false, false, true, false],
            [TokenAction.Delete] = [true, true, true, false],
            [TokenAction.Update] = [false, true, true, false],
            [TokenAction.Redigitize] = [false, true, true, false],
            [TokenAction.Transact] = [false, true, false, false],
            [TokenAction.Read] = [true, true, true, true],
        };
        var data = new TheoryData<string, string, bool>();
        foreach (var (action, row) in expected)
        {
            for (var i = 0; i < 4; i++)
            {
                data.Add(action.ToString(), ((TokenStatus)i).ToString(), row[i]);
            }
        }

        return data;
    }

    internal static Token NewToken(TokenStatus status, params Party[] suspenders)
    {
        var token = new Token
        {
            TokenUniqueReference = "DWSPMC" + new string('0', 42),
            PanUniqueReference = "FWSPMC",
            TokenRequestorId = "50123456789",
            ConsumerKey = "ck",
            TaskId = "t",
            FundingPan = "5204730000100003",
            FundingExpiryMonth = "12",
            FundingExpiryYear = "30",
            TokenNumber = "5204731000000001",
            TokenExpiryMonth = "12",
            TokenExpiryYear = "29",
            PaymentAccountReference = "5001" + new string('A', 25),
            CardContractId = "cc",
            ProductConfigId = "obotr-credit",
            Status = status,
        };
        foreach (var party in suspenders)
        {
            token.SuspendedBy.Add(party);
        }

        return token;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void IsAllowed_everyCellOfTheTable_matchesTheSeeds(string action, string status, bool allowed)
    {
        TokenLifecycle.IsAllowed(Enum.Parse<TokenAction>(action), Enum.Parse<TokenStatus>(status)).ShouldBe(allowed);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Apply_disallowedCell_isRejectedAndChangesNothing(string actionName, string statusName, bool allowed)
    {
        var action = Enum.Parse<TokenAction>(actionName);
        var status = Enum.Parse<TokenStatus>(statusName);
        var token = NewToken(status, status == TokenStatus.Suspended ? [Party.Issuer] : []);
        var before = token.StatusTimestamp;

        var outcome = TokenLifecycle.Apply(token, action, Party.TokenRequestor, DateTimeOffset.UnixEpoch.AddDays(1));

        if (!allowed)
        {
            outcome.ShouldBe(TransitionOutcome.Rejected);
            token.Status.ShouldBe(status);
            token.StatusTimestamp.ShouldBe(before);
        }
        else
        {
            outcome.ShouldNotBe(TransitionOutcome.Rejected);
        }
    }

    [Theory]
    [InlineData("Activate", "Inactive", "Active")]
    [InlineData("Suspend", "Active", "Suspended")]
    [InlineData("Delete", "Inactive", "Deactivated")]
    [InlineData("Delete", "Active", "Deactivated")]
    [InlineData("Delete", "Suspended", "Deactivated")]
    public void Apply_transition_movesStatusAndStampsTime(string actionName, string fromName, string toName)
    {
        var action = Enum.Parse<TokenAction>(actionName);
        var from = Enum.Parse<TokenStatus>(fromName);
        var to = Enum.Parse<TokenStatus>(toName);
        var token = NewToken(from, from == TokenStatus.Suspended ? [Party.Issuer] : []);
        var now = DateTimeOffset.UnixEpoch.AddDays(2);

        TokenLifecycle.Apply(token, action, Party.TokenRequestor, now).ShouldBe(TransitionOutcome.Changed);

        token.Status.ShouldBe(to);
        token.StatusTimestamp.ShouldBe(now);
        if (to == TokenStatus.Deactivated)
        {
            token.SuspendedBy.ShouldBeEmpty();
        }
    }

    [Fact]
    public void Suspend_sameParty_isIdempotentSuccess()
    {
        var token = NewToken(TokenStatus.Suspended, Party.TokenRequestor);

        TokenLifecycle.Apply(token, TokenAction.Suspend, Party.TokenRequestor, DateTimeOffset.UtcNow).ShouldBe(TransitionOutcome.Unchanged);

        token.SuspendedBy.ShouldBe([Party.TokenRequestor]);
    }

    [Fact]
    public void Unsuspend_withOtherHoldsLeft_staysSuspended()
    {
        var token = NewToken(TokenStatus.Suspended, Party.Issuer, Party.TokenRequestor, Party.Cardholder);

        TokenLifecycle.Apply(token, TokenAction.Unsuspend, Party.Issuer, DateTimeOffset.UtcNow).ShouldBe(TransitionOutcome.Changed);
        token.Status.ShouldBe(TokenStatus.Suspended);
        token.SuspendedBy.ShouldBe([Party.TokenRequestor, Party.Cardholder], ignoreOrder: true);

        TokenLifecycle.Apply(token, TokenAction.Unsuspend, Party.Issuer, DateTimeOffset.UtcNow).ShouldBe(TransitionOutcome.Unchanged);
        TokenLifecycle.Apply(token, TokenAction.Unsuspend, Party.TokenRequestor, DateTimeOffset.UtcNow).ShouldBe(TransitionOutcome.Changed);
        TokenLifecycle.Apply(token, TokenAction.Unsuspend, Party.Cardholder, DateTimeOffset.UtcNow).ShouldBe(TransitionOutcome.Changed);

        token.Status.ShouldBe(TokenStatus.Active);
    }

    [Fact]
    public void Activate_setsActivatedAt()
    {
        var token = NewToken(TokenStatus.Inactive);
        var now = DateTimeOffset.UtcNow;

        TokenLifecycle.Apply(token, TokenAction.Activate, Party.Mdes, now);

        token.ActivatedAt.ShouldBe(now);
    }
}
