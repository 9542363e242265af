using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.IntegrationTests.Simulator.Support;

namespace ObotrGateway.IntegrationTests.Notifications;

/// <summary>Receipt, authentication, idempotency and ordering of NTUs crafted as MDES would send them.</summary>
[Collection(NotificationsTestGroup.Name)]
public sealed class NtuInboxTests(GatewayFixture fixture)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private Task<long> InboxRowsAsync(string tur) => fixture.ScalarAsync("SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = $1", tur);

    [Fact]
    public async Task Ntu_encrypted_to_an_unknown_key_is_unauthenticated_and_stores_nothing()
    {
        using var sender = new NtuSender(fixture);
        var tur = NtuSender.NewTur();
        var body = sender.Body("unknown-key-1", NtuSender.Update(tur, "50123456789", "ACTIVE", T0), new FleStyle(Fingerprint: "00ff"));

        var response = await sender.Http.PostAsJsonAsync(NtuSender.Route, body);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).Code().ShouldBe("ntu_unauthenticated");
        (await InboxRowsAsync(tur)).ShouldBe(0);
    }

    [Fact]
    public async Task Ntu_that_does_not_decrypt_or_is_malformed_is_rejected_and_stores_nothing()
    {
        using var sender = new NtuSender(fixture);
        var tur = NtuSender.NewTur();
        var tampered = sender.Body("tampered-1", NtuSender.Update(tur, "50123456789", "ACTIVE", T0));
        tampered["encryptedPayload"]!["encryptedData"] = "00" + (string)tampered["encryptedPayload"]!["encryptedData"]!;
        var noRequestId = sender.Body("", NtuSender.Update(tur, "50123456789", "ACTIVE", T0));

        var responses = new[]
        {
            await sender.Http.PostAsJsonAsync(NtuSender.Route, tampered),
            await sender.Http.PostAsync(NtuSender.Route, new StringContent("not json", System.Text.Encoding.UTF8, "application/json")),
            await sender.Http.PostAsJsonAsync(NtuSender.Route, noRequestId),
        };

        foreach (var response in responses)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await response.Content.ReadFromJsonAsync<JsonElement>()).Code().ShouldBeOneOf("ntu_undecryptable", "ntu_invalid");
        }

        (await InboxRowsAsync(tur)).ShouldBe(0);
    }

    [Fact]
    public async Task Repeated_request_id_is_acked_again_and_applied_once()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        client.Dispose();
        using var sender = new NtuSender(fixture);
        var tur = NtuSender.NewTur();
        var (id, token) = await sender.InsertTokenAsync(merchant.MerchantId, merchant.TokenRequestorId, tur, T0);
        var update = NtuSender.Update(tur, merchant.TokenRequestorId, "SUSPENDED", T0.AddMinutes(1), "SUSPECTED_FRAUD");

        var first = await sender.SendAsync("repeat-" + tur[^8..], update);
        var second = await sender.SendAsync("repeat-" + tur[^8..], update);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        var ack = await second.Content.ReadFromJsonAsync<JsonElement>();
        ack.GetProperty("responseHost").GetString().ShouldBe("obotr-gateway.test");
        ack.GetProperty("responseId").GetString().ShouldNotBeNullOrEmpty();
        await fixture.WaitForTokenAsync(token, row => row.Status == "SUSPENDED");
        (await InboxRowsAsync(tur)).ShouldBe(1);
        (await fixture.EventCountAsync(id)).ShouldBe(1);
    }

    [Fact]
    public async Task Ntu_for_a_token_not_yet_stored_waits_and_is_applied_when_it_appears()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        client.Dispose();
        using var sender = new NtuSender(fixture);
        var tur = NtuSender.NewTur();

        (await sender.SendAsync("early-" + tur[^8..], NtuSender.Update(tur, merchant.TokenRequestorId, "SUSPENDED", T0.AddSeconds(5)))).StatusCode
            .ShouldBe(HttpStatusCode.OK);
        await Eventually.TrueAsync(
            async () => await fixture.ScalarAsync("SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = $1 AND state = 'waiting'", tur) == 1,
            TimeSpan.FromSeconds(10), "NTU did not wait for its token");
        var (id, token) = await sender.InsertTokenAsync(merchant.MerchantId, merchant.TokenRequestorId, tur, T0);

        var applied = await fixture.WaitForTokenAsync(token, row => row.StatusTimestamp == T0.AddSeconds(5));
        applied.Status.ShouldBe("SUSPENDED");
        (await fixture.EventCountAsync(id)).ShouldBe(1);
    }

    [Fact]
    public async Task Thousand_ntus_with_duplicates_shuffled_and_stale_converge_with_one_event_per_applied_change()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        client.Dispose();
        using var sender = new NtuSender(fixture);
        var tokens = new List<(Guid Id, string GatewayToken, string Tur, JsonObject Final)>();
        var distinct = new List<(string RequestId, JsonObject Update)>();
        string[] statuses = ["ACTIVE", "SUSPENDED"];
        for (var k = 0; k < 100; k++)
        {
            var tur = NtuSender.NewTur();
            var (id, token) = await sender.InsertTokenAsync(merchant.MerchantId, merchant.TokenRequestorId, tur, T0);
            JsonObject? final = null;
            // 6 updates newer than the stored state (the newest wins) and 2 older ones (stale: kept, never applied).
            for (var i = 1; i <= 6; i++)
            {
                var status = i == 6 && k % 10 == 0 ? "DEACTIVATED" : statuses[RandomNumberGenerator.GetInt32(2)];
                var update = NtuSender.Update(tur, merchant.TokenRequestorId, status, T0.AddSeconds(i), i == 6 ? "OTHER" : null, $"{k % 10}{i:000}");
                distinct.Add(($"{tur[^12..]}-{i}", update));
                final = update;
            }

            foreach (var old in new[] { -5, -3 })
            {
                distinct.Add(($"{tur[^12..]}-old{-old}", NtuSender.Update(tur, merchant.TokenRequestorId, "SUSPENDED", T0.AddSeconds(old), "OTHER", "9999")));
            }

            tokens.Add((id, token, tur, final!));
        }

        var sends = distinct.Concat(distinct.OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue)).Take(200))
            .OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue)).ToList();
        sends.Count.ShouldBe(1_000);
        var statusesSeen = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        await Parallel.ForEachAsync(sends, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (send, _) =>
        {
            using var response = await sender.SendAsync(send.RequestId, send.Update);
            statusesSeen.Add(response.StatusCode);
        });

        statusesSeen.ShouldAllBe(status => status == HttpStatusCode.OK);
        var turs = tokens.Select(token => token.Tur).ToArray();
        await Eventually.TrueAsync(
            async () => await fixture.ScalarAsync(
                "SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = ANY($1) AND state IN ('applied', 'unchanged', 'stale')", (object)turs) == 800,
            TimeSpan.FromSeconds(30), "not every NTU was processed");
        (await fixture.ScalarAsync("SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = ANY($1)", (object)turs)).ShouldBe(800);
        (await fixture.ScalarAsync(
            "SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = ANY($1) AND status_timestamp < $2 AND state = 'stale'", (object)turs, T0))
            .ShouldBe(200);
        foreach (var (_, gatewayToken, _, final) in tokens)
        {
            var row = await fixture.TokenAsync(gatewayToken);
            row.Status.ShouldBe((string)final["status"]!);
            row.StatusTimestamp.ShouldBe(T0.AddSeconds(6));
            row.TokenPanSuffix.ShouldBe((string)final["tokenInfo"]!["tokenPanSuffix"]!);
            (row.ArchivedAt is not null).ShouldBe(row.Status == "DEACTIVATED");
        }

        var tokenIds = tokens.Select(token => token.Id).ToArray();
        var applied = await fixture.ScalarAsync("SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = ANY($1) AND state = 'applied'", (object)turs);
        (await fixture.ScalarAsync("SELECT count(*) FROM webhook_outbox WHERE gateway_token_id = ANY($1)", (object)tokenIds)).ShouldBe(applied);
        (await fixture.ScalarAsync("""
            SELECT count(*) FROM ntu_inbox i JOIN webhook_outbox e ON e.inbox_id = i.id
            WHERE i.token_unique_reference = ANY($1) AND i.state = 'applied'
            """, (object)turs)).ShouldBe(applied);
        // The last event of each token tells the merchant the final state.
        (await fixture.ScalarAsync("""
            SELECT count(*) FROM (SELECT DISTINCT ON (e.gateway_token_id) e.payload, t.status
                                  FROM webhook_outbox e JOIN gateway_tokens t ON t.id = e.gateway_token_id
                                  WHERE e.gateway_token_id = ANY($1) ORDER BY e.gateway_token_id, e.created_at DESC, e.id DESC) last
            WHERE last.payload -> 'data' ->> 'status' = last.status
            """, (object)tokenIds)).ShouldBe(100);
    }
}
