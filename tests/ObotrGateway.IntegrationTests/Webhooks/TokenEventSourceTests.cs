using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.IntegrationTests.Notifications;
using ObotrGateway.IntegrationTests.TokenLifecycle;

namespace ObotrGateway.IntegrationTests.Webhooks;

/// <summary>
/// Token changes that do not come from an NTU — a merchant's refresh, a merchant's delete/suspend/unsuspend —
/// reach the merchant's webhook too, exactly once per change, and an NTU that repeats what we already know adds none.
/// </summary>
[Collection(NotificationsTestGroup.Name)]
public sealed class TokenEventSourceTests(GatewayFixture fixture)
{
    private Task<long> EventsAsync(Guid tokenId, string source, string status) => fixture.ScalarAsync("""
        SELECT count(*) FROM webhook_outbox
        WHERE gateway_token_id = $1 AND payload -> 'data' ->> 'source' = $2 AND payload -> 'data' ->> 'status' = $3
        """, tokenId, source, status);

    private async Task<(string Token, string Tur, Guid Id)> SettledActiveTokenAsync(HttpClient client)
    {
        var settled = await fixture.AddSettledActiveCardAsync(client, fixture.FreshApprovedPan());
        // One activation event, whichever of the refresh and the NTU got there first.
        (await fixture.EventCountAsync(settled.Id)).ShouldBe(1);
        return settled;
    }

    [Fact]
    public async Task Merchant_refresh_applies_a_missed_suspension_like_an_ntu_and_the_late_ntu_adds_no_event()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var (token, tur, id) = await SettledActiveTokenAsync(client);
            var vault = await fixture.PlantCryptogramAsync(tur);

            // The issuer suspends and the NTU is lost: only GetToken can tell us.
            await fixture.Simulator.WithFaultsAsync(new { dropNotifications = true }, async () =>
            {
                var (status, answer) = await fixture.Simulator.ConsoleAsync("/issuer/tokens/suspend",
                    new { tokenUniqueReferences = new[] { tur }, reasonCode = "SUSPECTED_FRAUD", userId = "u1", userName = "Issuer Agent" });
                status.ShouldBe(HttpStatusCode.OK, answer?.ToJsonString());
            });
            (await fixture.TokenAsync(token)).Status.ShouldBe("ACTIVE");

            var refreshed = await client.GetFromJsonAsync<JsonElement>($"/v1/gateway-tokens/{token}?refresh=true");

            refreshed.GetProperty("status").GetString().ShouldBe("SUSPENDED");
            (await vault.CountAsync(tur)).ShouldBe(0, "a refresh that finds the token suspended must purge its cryptograms like an NTU");
            (await EventsAsync(id, "refresh", "SUSPENDED")).ShouldBe(1);
            (await fixture.EventCountAsync(id)).ShouldBe(2);

            // MDES's own NTU of the same change arriving afterwards is history, not a second event.
            var suspended = await fixture.TokenAsync(token);
            using var sender = new NtuSender(fixture);
            var requestId = "late-" + tur[^12..];
            (await sender.SendAsync(requestId, NtuSender.Update(tur, merchant.TokenRequestorId, "SUSPENDED", suspended.StatusTimestamp!.Value)))
                .StatusCode.ShouldBe(HttpStatusCode.OK);
            await Eventually.TrueAsync(
                async () => await fixture.ScalarAsync("SELECT count(*) FROM ntu_inbox WHERE request_id = $1 AND state = 'unchanged'", requestId) == 1,
                TimeSpan.FromSeconds(15), "late NTU not recorded as unchanged");
            (await fixture.EventCountAsync(id)).ShouldBe(2);
        }
    }

    [Fact]
    public async Task Merchant_suspend_unsuspend_and_delete_each_produce_one_lifecycle_event_and_repeats_none()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var (token, _, id) = await SettledActiveTokenAsync(client);

            (await client.PostAsync($"/v1/gateway-tokens/{token}/suspend", new { reason = "customer asked" })).Status.ShouldBe(HttpStatusCode.OK);
            (await client.PostAsync($"/v1/gateway-tokens/{token}/unsuspend", new { })).Status.ShouldBe(HttpStatusCode.OK);
            (await client.DeleteAsync($"/v1/gateway-tokens/{token}")).EnsureSuccessStatusCode();
            // Answered from our records: no change, so no event.
            (await client.DeleteAsync($"/v1/gateway-tokens/{token}")).EnsureSuccessStatusCode();

            (await EventsAsync(id, "lifecycle", "SUSPENDED")).ShouldBe(1);
            (await EventsAsync(id, "lifecycle", "ACTIVE")).ShouldBe(1);
            (await EventsAsync(id, "lifecycle", "DEACTIVATED")).ShouldBe(1);
            (await fixture.EventCountAsync(id)).ShouldBe(4);
            var suspendEvent = await fixture.ScalarAsync("""
                SELECT count(*) FROM webhook_outbox WHERE gateway_token_id = $1 AND payload -> 'data' ->> 'status' = 'SUSPENDED'
                  AND payload -> 'data' -> 'suspendedBy' ? 'TOKEN_REQUESTOR'
                """, id);
            suspendEvent.ShouldBe(1);
        }
    }
}
