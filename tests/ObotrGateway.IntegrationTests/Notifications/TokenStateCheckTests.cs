using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Notifications;

/// <summary>When NTUs are missed: the activation fallback and the admin resync read the state through GetToken.</summary>
[Collection(NotificationsTestGroup.Name)]
public sealed class TokenStateCheckTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Token_without_an_activation_ntu_is_activated_by_the_fallback()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = await fixture.Simulator.WithFaultsAsync(new { dropNotifications = true }, async () =>
            {
                var added = (await client.AddCardAsync(TestCards.ApprovedToo)).As<GatewayTokenResponse>().GatewayToken;
                var active = await fixture.WaitForTokenAsync(added, row => row.Status == "ACTIVE", TimeSpan.FromSeconds(20));
                (await fixture.ScalarAsync("SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = $1", active.TokenUniqueReference!)).ShouldBe(0);
                var tasks = await fixture.Simulator.GetJsonAsync("/simulator/requests?operation=getTaskStatus&limit=1000");
                tasks["requests"]!.AsArray().ShouldContain(request => (string?)request!["tokenRequestorId"] == merchant.TokenRequestorId);
                return added;
            });

            var row = await fixture.TokenAsync(token);
            (await fixture.ScalarAsync("SELECT count(*) FROM webhook_outbox WHERE gateway_token_id = $1 AND payload -> 'data' ->> 'source' = 'refresh'", row.Id))
                .ShouldBe(1);
        }
    }

    [Fact]
    public async Task Resync_rereads_tokens_older_than_the_given_age_and_fixes_drifted_state()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            // The activation NTU must be processed first, or it would fix the drift below by itself.
            var (token, _, id) = await fixture.AddSettledActiveCardAsync(client, TestCards.Approved, TimeSpan.FromSeconds(10));
            // Drift: our row says SUSPENDED (as if an NTU were lost) and has not been confirmed for an hour.
            await fixture.ScalarAsync("""
                UPDATE gateway_tokens SET status = 'SUSPENDED', suspended_by = '{ISSUER}', status_timestamp = status_timestamp - interval '1 hour',
                       updated_at = now() - interval '1 hour', state_checked_at = NULL WHERE id = $1 RETURNING 1
                """, id);
            const string RefreshEvents = "SELECT count(*) FROM webhook_outbox WHERE gateway_token_id = $1 AND payload -> 'data' ->> 'source' = 'refresh'";
            var refreshEventsBefore = await fixture.ScalarAsync(RefreshEvents, id);

            using var admin = fixture.AdminClient();
            var bad = await admin.PostAsJsonAsync("/v1/admin/tokens/resync", new { });
            bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            var response = await admin.PostAsJsonAsync("/v1/admin/tokens/resync", new { olderThan = "00:30:00", limit = 1000 });
            var result = await response.Content.ReadFromJsonAsync<JsonElement>();

            response.StatusCode.ShouldBe(HttpStatusCode.OK, result.ToString());
            result.GetProperty("checked").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
            result.GetProperty("changed").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
            var fixedRow = await fixture.TokenAsync(token);
            fixedRow.Status.ShouldBe("ACTIVE");
            fixedRow.SuspendedBy.ShouldBeEmpty();
            (await fixture.ScalarAsync(RefreshEvents, id)).ShouldBe(refreshEventsBefore + 1);
        }
    }
}
