using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.TokenLifecycle;

[Collection(TokenLifecycleTestGroup.Name)]
public sealed class SuspendTests(GatewayFixture fixture)
{
    private static IReadOnlyList<string> SuspendedBy(JsonElement outcome) => outcome.As<LifecycleOutcomeResponse>().SuspendedBy.ShouldNotBeNull();

    [Fact]
    public async Task Suspend_then_unsuspend_returns_the_token_to_active()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = await client.AddActiveCardAsync();
            var tur = await fixture.TurOfAsync(token);
            var vault = await fixture.PlantCryptogramAsync(tur);

            var (suspendStatus, suspended, _) = await client.PostAsync($"/v1/gateway-tokens/{token}/suspend", new { reason = "customer asked" }, "susp-1");
            suspendStatus.ShouldBe(HttpStatusCode.OK, suspended.ToString());
            suspended.Result().ShouldBe("suspended");
            suspended.As<LifecycleOutcomeResponse>().Status.ShouldBe("SUSPENDED");
            SuspendedBy(suspended).ShouldBe(["TOKEN_REQUESTOR"]);
            (await client.GetTokenAsync(token)).Status.ShouldBe("SUSPENDED");
            (await vault.CountAsync(tur)).ShouldBe(0); // a suspended token must not pay with a stored cryptogram

            var (unsuspendStatus, resumed, _) = await client.PostAsync($"/v1/gateway-tokens/{token}/unsuspend", new { });
            unsuspendStatus.ShouldBe(HttpStatusCode.OK, resumed.ToString());
            resumed.Result().ShouldBe("unsuspended");
            resumed.As<LifecycleOutcomeResponse>().Status.ShouldBe("ACTIVE");
            SuspendedBy(resumed).ShouldBeEmpty();
            (await fixture.Simulator.Mdes.StatusOfAsync(tur)).ShouldBe("ACTIVE");
        }
    }

    [Fact]
    public async Task Gateway_unsuspend_leaves_the_issuers_hold_and_says_who_holds_it()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = await client.AddActiveCardAsync();
            var tur = await fixture.TurOfAsync(token);
            var (consoleStatus, _) = await fixture.Simulator.ConsoleAsync("/issuer/tokens/suspend",
                new { tokenUniqueReferences = new[] { tur }, reasonCode = "SUSPECTED_FRAUD", userId = "u1", userName = "Issuer Agent" });
            consoleStatus.ShouldBe(HttpStatusCode.OK);

            var (_, suspended, _) = await client.PostAsync($"/v1/gateway-tokens/{token}/suspend", new { });
            SuspendedBy(suspended).Order().ShouldBe(["ISSUER", "TOKEN_REQUESTOR"]);

            var (status, resumed, _) = await client.PostAsync($"/v1/gateway-tokens/{token}/unsuspend", new { });

            status.ShouldBe(HttpStatusCode.OK, resumed.ToString());
            resumed.Result().ShouldBe("still_suspended");
            resumed.As<LifecycleOutcomeResponse>().Status.ShouldBe("SUSPENDED");
            SuspendedBy(resumed).ShouldBe(["ISSUER"]);
            var stored = await client.GetTokenAsync(token);
            stored.Status.ShouldBe("SUSPENDED");
            stored.SuspendedBy.ShouldBe(["ISSUER"]);
        }
    }

    [Fact]
    public async Task Batch_suspend_of_12_tokens_makes_two_mdes_calls_and_batch_unsuspend_resumes_them()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var tokens = await client.AddCardsAsync(12);
            foreach (var token in tokens)
            {
                await client.WaitUntilActiveAsync(token);
            }

            var (status, body, _) = await client.PostAsync("/v1/gateway-tokens/suspend", new { gatewayTokens = tokens, reasonCode = "SUSPECTED_FRAUD" });

            status.ShouldBe(HttpStatusCode.OK, body.ToString());
            body.ByToken().Values.ShouldAllBe(result => result.Result == "suspended");
            (await fixture.MdesRequestsAsync("suspend"))
                .Count(entry => entry["tokenRequestorId"]?.GetValue<string>() == merchant.TokenRequestorId).ShouldBe(2);

            var (_, resumed, _) = await client.PostAsync("/v1/gateway-tokens/unsuspend", new { gatewayTokens = tokens, reasonCode = "NOT_FRAUD" });
            resumed.ByToken().Values.ShouldAllBe(result => result.Result == "unsuspended");
        }
    }

    [Fact]
    public async Task Deleted_token_cannot_be_suspended()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = await client.AddActiveCardAsync();
            (await client.DeleteAsync($"/v1/gateway-tokens/{token}")).EnsureSuccessStatusCode();

            // The body is optional: none at all is fine.
            var response = await client.PostAsync($"/v1/gateway-tokens/{token}/suspend", (HttpContent?)null);

            response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await response.Content.ReadFromJsonAsync<JsonElement>()).Code().ShouldBe("token_deactivated");
        }
    }

    [Fact]
    public async Task Suspend_with_an_unknown_reason_code_is_refused_and_another_merchants_token_is_not_found()
    {
        var (_, owner) = await fixture.NewMerchantAsync();
        var (_, other) = await fixture.NewMerchantAsync();
        using (owner)
        using (other)
        {
            var token = (await owner.AddCardAsync(TestCards.Approved)).As<GatewayTokenResponse>().GatewayToken;

            var (badStatus, bad, _) = await owner.PostAsync($"/v1/gateway-tokens/{token}/suspend", new { reasonCode = "NOT_FRAUD" });
            var (foreignStatus, foreign, _) = await other.PostAsync($"/v1/gateway-tokens/{token}/suspend", new { });

            badStatus.ShouldBe(HttpStatusCode.BadRequest);
            bad.Code().ShouldBe("invalid_request");
            foreignStatus.ShouldBe(HttpStatusCode.NotFound);
            foreign.Code().ShouldBe("gateway_token_not_found");
        }
    }
}
