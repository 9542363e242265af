using Npgsql;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.TokenLifecycle;

[Collection(TokenLifecycleTestGroup.Name)]
public sealed class RetentionTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Archived_token_is_purged_after_the_retention_and_its_payment_survives_unlinked()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = (await client.AddCardAsync(TestCards.Approved)).As<GatewayTokenResponse>().GatewayToken;
            var kept = (await client.AddCardAsync(TestCards.Approved)).As<GatewayTokenResponse>().GatewayToken;
            await using var db = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
            var paymentId = Guid.NewGuid();
            await using (var payment = db.CreateCommand("""
                INSERT INTO payments (id, merchant_id, gateway_token_id, amount, currency, recurring, status, network_token_used, created_at)
                SELECT $1, merchant_id, id, 1000, 'EUR', 'none', 'authorized', true, now() FROM gateway_tokens WHERE gateway_token = $2
                """))
            {
                payment.Parameters.Add(new NpgsqlParameter { Value = paymentId });
                payment.Parameters.Add(new NpgsqlParameter { Value = token });
                (await payment.ExecuteNonQueryAsync()).ShouldBe(1);
            }

            (await client.DeleteAsync($"/v1/gateway-tokens/{token}")).EnsureSuccessStatusCode();
            (await TokenRowsAsync(db, token)).ShouldBe(1); // the deployed default keeps it for two years

            // A replica configured with a one-second retention and a fast schedule.
            var settings = fixture.Settings();
            settings["TokenLifecycle:ArchiveRetention"] = "0.00:00:01";
            settings["TokenLifecycle:PurgeInterval"] = "00:00:00.200";
            await using (var replica = new GatewayFactory(settings, fixture.Logs))
            {
                replica.StartServer();
                await Eventually.LastAsync(() => TokenRowsAsync(db, token), rows => rows == 0, TimeSpan.FromSeconds(10));
            }

            (await TokenRowsAsync(db, token)).ShouldBe(0);
            (await TokenRowsAsync(db, kept)).ShouldBe(1); // never deleted, never purged
            await using var link = db.CreateCommand("SELECT gateway_token_id IS NULL FROM payments WHERE id = $1");
            link.Parameters.Add(new NpgsqlParameter { Value = paymentId });
            ((bool)(await link.ExecuteScalarAsync())!).ShouldBeTrue();
        }
    }

    private static async Task<long> TokenRowsAsync(NpgsqlDataSource db, string gatewayToken)
    {
        await using var count = db.CreateCommand("SELECT count(*) FROM gateway_tokens WHERE gateway_token = $1");
        count.Parameters.Add(new NpgsqlParameter { Value = gatewayToken });
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
