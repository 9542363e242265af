using System.Net.Http.Json;
using System.Text.Json;
using ObotrGateway.IntegrationTests.Infrastructure;
using Cs = ObotrGateway.IntegrationTests.Simulator.Support.CustomerServiceClient;

namespace ObotrGateway.IntegrationTests.Notifications;

/// <summary>
/// The issuer's agent works on the gateway's tokens through the published Customer Service API; each change
/// reaches the gateway only as MDES's NTU. Every CS answer is checked against the published schema.
/// </summary>
[Collection(NotificationsTestGroup.Name)]
public sealed class CustomerServiceJourneyTests(GatewayFixture fixture)
{
    private Cs Api => new(fixture.Simulator.Http);

    [Fact]
    public async Task YellowPath_tokenWaitsInactiveUntilTheAgentActivatesIt_thenTheGatewaysTokenIsActive()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var added = await client.AddCardAsync(TestCards.AdditionalAuthentication);
            added.GetProperty("decision").GetString().ShouldBe("REQUIRE_ADDITIONAL_AUTHENTICATION");
            var token = added.GetProperty("gatewayToken").GetString()!;
            var tur = (await fixture.TokenAsync(token)).TokenUniqueReference!;
            var current = await client.GetFromJsonAsync<JsonElement>($"/v1/gateway-tokens/{token}?refresh=true");
            current.GetProperty("status").GetString().ShouldBe("INACTIVE");

            var methods = await Api.OkAsync("/token/activationmethods", "TokenActivationMethodsRequest", Cs.Tur(tur));
            methods["TokenActivationMethodsResponse"]!["ActivationMethods"]!["ActivationMethod"]!.AsArray().Count.ShouldBeGreaterThan(0);
            await Api.OkAsync("/token/activate", "TokenActivateRequest", Cs.Tur(tur, ("ReasonCode", "C"), ("CommentText", "Cardholder authenticated by the agent")));

            var active = await fixture.WaitForTokenAsync(token, row => row.Status == "ACTIVE");
            active.ProductConfig.ShouldNotBeNull();
            var (status, body, _) = await client.PostAsync("/v1/payments", new { gatewayToken = token, amount = 700, currency = "EUR" }, "yellow-pay");
            body.GetProperty("status").GetString().ShouldBe("authorized", body.ToString());
            body.GetProperty("networkTokenUsed").GetBoolean().ShouldBeTrue();
            status.ShouldBe(System.Net.HttpStatusCode.Created);
        }
    }

    [Fact]
    public async Task Transactions_listTheGatewaysPaymentWithTheToken()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var (token, tur, _) = await fixture.AddSettledActiveCardAsync(client, fixture.FreshApprovedPan());
            var (_, paid, _) = await client.PostAsync("/v1/payments", new { gatewayToken = token, amount = 1999, currency = "EUR" }, "cs-pay");
            paid.GetProperty("status").GetString().ShouldBe("authorized", paid.ToString());

            var answer = await Api.OkAsync("/transactions", "TransactionsRequest", Cs.Tur(tur));

            var transaction = answer["TransactionsResponse"]!["Transactions"]!["Transaction"]!.AsArray().ShouldHaveSingleItem()!;
            ((string)transaction["TransactionAmount"]!, (string)transaction["CurrencyCode"]!, (string)transaction["TransactionStatusCode"]!).ShouldBe(("19.99", "EUR", "AUTH"));
            ((string)transaction["MerchantName"]!).ShouldContain(merchant.TokenRequestorId);
            DateTimeOffset.Parse((string)transaction["TransactionDateTime"]!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
        }
    }

    [Fact]
    public async Task SuspendUnsuspendDelete_byTheAgent_reachTheGateway_andHistoryAndCommentsTellWhoAndWhy()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var (token, tur, _) = await fixture.AddSettledActiveCardAsync(client, fixture.FreshApprovedPan());

            await Api.OkAsync("/token/suspend", "TokenSuspendRequest", Cs.Tur(tur, ("ReasonCode", "L"), ("CommentText", "Phone lost")));
            var suspended = await fixture.WaitForTokenAsync(token, row => row.Status == "SUSPENDED");
            suspended.SuspendedBy.ShouldBe(["ISSUER"]);
            await Api.OkAsync("/token/unsuspend", "TokenUnsuspendRequest", Cs.Tur(tur, ("ReasonCode", "F"), ("CommentText", "Phone found")));
            await fixture.WaitForTokenAsync(token, row => row.Status == "ACTIVE");
            await Api.OkAsync("/token/delete", "TokenDeleteRequest", Cs.Tur(tur, ("ReasonCode", "C")));
            var deleted = await fixture.WaitForTokenAsync(token, row => row.Status == "DEACTIVATED");
            deleted.ArchivedAt.ShouldNotBeNull();

            var history = (await Api.OkAsync("/token/statushistory", "TokenStatusHistoryRequest", Cs.Tur(tur)))["TokenStatusHistoryResponse"]!["Statuses"]!["Status"]!.AsArray();
            history.Select(h => ((string)h!["StatusCode"]!, (string?)h["ReasonCode"])).ShouldBe([("U", null), ("A", null), ("S", "L"), ("A", "F"), ("D", "C")]);
            history.Skip(2).ShouldAllBe(h => (string)h!["Initiator"]! == "I" && (string)h["AuditInfo"]!["UserId"]! == "A1435477");
            var comments = (await Api.OkAsync("/token/comments", "TokenCommentsRequest", Cs.Tur(tur)))["TokenCommentsResponse"]!["Comments"]!["Comment"]!.AsArray();
            comments.Select(c => (string)c!["CommentText"]!).ShouldBe(["Phone lost", "Phone found"]);
            comments.Select(c => (string?)c!["CommentId"]).ShouldBe(history.Skip(2).Take(2).Select(h => (string?)h!["CommentId"]));
        }
    }
}
