using System.Net;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.CardData;

/// <summary>
/// PAN hygiene: after every merchant flow has run with every test card, no PAN or token number is in the
/// captured logs, in any text/JSON/array/bytea column, or in any Redis value. The same scan runs again when
/// the whole collection finishes (GatewayFixture.DisposeAsync) and fails the run if anything leaked.
/// </summary>
[Collection(CardsTestGroup.Name)]
public sealed class CardDataHygieneTests(GatewayFixture fixture)
{
    [Fact]
    public async Task No_pan_or_token_number_is_left_in_logs_tables_or_redis_after_every_flow()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var expected = new Dictionary<string, (HttpStatusCode Add, HttpStatusCode Pay)>
            {
                [TestCards.Approved] = (HttpStatusCode.Created, HttpStatusCode.Created),
                [TestCards.ApprovedToo] = (HttpStatusCode.Created, HttpStatusCode.Created),
                [TestCards.AdditionalAuthentication] = (HttpStatusCode.Created, HttpStatusCode.Created),
                [TestCards.Declined] = (HttpStatusCode.UnprocessableEntity, HttpStatusCode.Created),
                [TestCards.Ineligible] = (HttpStatusCode.UnprocessableEntity, HttpStatusCode.Created),
                [TestCards.IssuerError] = (HttpStatusCode.ServiceUnavailable, HttpStatusCode.Created),
                [TestCards.CoBranded] = (HttpStatusCode.Created, HttpStatusCode.Created),
                [TestCards.OtherApproved] = (HttpStatusCode.Created, HttpStatusCode.Created),
                [TestCards.NotLuhn] = (HttpStatusCode.BadRequest, HttpStatusCode.BadRequest),
            };
            foreach (var pan in TestCards.All)
            {
                var added = await client.PostAsync("/v1/gateway-tokens", new { card = TestCards.Card(pan) }, "add-" + pan[^6..]);
                var stored = await client.PostAsync("/v1/payments", new { card = TestCards.Card(pan), amount = 300, currency = "EUR", storeCard = true }, "pay-" + pan[^6..]);
                var plain = await client.PostAsync("/v1/payments", new { card = TestCards.Card(pan), amount = 300, currency = "EUR" });

                added.Status.ShouldBe(expected[pan].Add, $"add …{pan[^4..]}");
                stored.Status.ShouldBe(expected[pan].Pay, $"pay and store …{pan[^4..]}");
                plain.Status.ShouldBe(expected[pan].Pay, $"pay …{pan[^4..]}");
            }

            var token = await client.AddActiveCardAsync(TestCards.OtherApproved);
            await client.PostAsync("/v1/payments", new { gatewayToken = token, amount = 100, currency = "EUR", recurring = "initial" }, "rec-1");
            await client.PostAsync("/v1/payments", new { gatewayToken = token, amount = 100, currency = "EUR", recurring = "subsequent" }, "rec-2");
            var handoff = await client.PostAsync("/v1/network-tokens", new { gatewayToken = token }, "handoff");
            handoff.Status.ShouldBe(HttpStatusCode.Created);
            fixture.SecretsSeen.Add(handoff.Body.GetProperty("tokenNumber").GetString()!);
            fixture.SecretsSeen.Add(handoff.Body.GetProperty("cryptogram").GetString()!);
            await Task.Delay(1000); // let the background cryptogram refill write to Redis

            var leaks = await CardDataLeaks.FindAsync(fixture, [.. TestCards.All, .. fixture.SecretsSeen]);

            leaks.ShouldBeEmpty();
            fixture.Logs.Lines.ShouldContain(line => line.Contains("provisioned"), "the scan must have real log lines to look at");
            merchant.ApiKey.ShouldNotBeNullOrEmpty();
        }
    }

    [Fact]
    public async Task The_scan_finds_a_planted_secret_in_each_store()
    {
        const string planted = "5204739999999997";
        var (merchant, client) = await fixture.NewMerchantAsync();
        client.Dispose();
        using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(TestServices.Redis);
        await using var db = Npgsql.NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        await using (var plant = db.CreateCommand("UPDATE merchants SET name = 'x' || $1 WHERE id = $2"))
        {
            plant.Parameters.Add(new Npgsql.NpgsqlParameter { Value = planted });
            plant.Parameters.Add(new Npgsql.NpgsqlParameter { Value = merchant.MerchantId });
            await plant.ExecuteNonQueryAsync();
        }

        await redis.GetDatabase().StringSetAsync($"{fixture.RunId}:planted", "{\"pan\":\"" + planted + "\"}");
        fixture.Logs.CreateLogger("Planted").Log(Microsoft.Extensions.Logging.LogLevel.Information, default, "card " + planted, null, (state, _) => state);
        try
        {
            var leaks = await CardDataLeaks.FindAsync(fixture, [planted]);

            leaks.ShouldContain(leak => leak.StartsWith("log line"));
            leaks.ShouldContain("merchants.name contains …9997");
            leaks.ShouldContain($"redis {fixture.RunId}:planted contains …9997");
        }
        finally
        {
            await redis.GetDatabase().KeyDeleteAsync($"{fixture.RunId}:planted");
            await using var clean = db.CreateCommand("UPDATE merchants SET name = 'cleaned' WHERE id = $1");
            clean.Parameters.Add(new Npgsql.NpgsqlParameter { Value = merchant.MerchantId });
            await clean.ExecuteNonQueryAsync();
        }
    }
}
