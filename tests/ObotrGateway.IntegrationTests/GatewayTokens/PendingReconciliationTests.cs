using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.Wire;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.GatewayTokens;

/// <summary>Tokenize calls whose outcome the gateway never learned: no orphan MDES token is leaked.</summary>
[Collection(CardsTestGroup.Name)]
public sealed class PendingReconciliationTests(GatewayFixture fixture)
{
    private async Task<List<(string Token, string Status, string? Reconciliation)>> RowsAsync(Guid merchantId)
    {
        await using var db = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        await using var query = db.CreateCommand("SELECT gateway_token, status, reconciliation FROM gateway_tokens WHERE merchant_id = $1");
        query.Parameters.Add(new NpgsqlParameter { Value = merchantId });
        await using var reader = await query.ExecuteReaderAsync();
        var rows = new List<(string, string, string?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return rows;
    }

    private Task<int> ReconcileAsync() =>
        fixture.Factory.Services.GetRequiredService<PendingTokenReconciler>().ReconcileOnceAsync(CancellationToken.None);

    [Fact]
    public async Task A_tokenize_that_timed_out_before_mdes_acted_is_kept_pending_then_removed()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            await fixture.Simulator.WithFaultsAsync(new { operations = new Dictionary<string, object> { ["tokenize"] = new { latencyMs = 8000 } } }, async () =>
            {
                var (status, body, _) = await client.PostAsync("/v1/gateway-tokens", new { card = TestCards.Card(TestCards.Approved) });

                status.ShouldBe(HttpStatusCode.ServiceUnavailable, body.ToString());
            });

            (await RowsAsync(merchant.MerchantId)).Single().Status.ShouldBe("PENDING");
            (await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/gateway-tokens")).GetProperty("gatewayTokens").GetArrayLength().ShouldBe(0);

            // The simulator dropped the aborted request, so MDES knows no such task: nothing to keep. A pass looks only at
            // rows older than GatewayTokens:ReconcileAfter (1 s here), so passes run until one has looked.
            await Eventually.TrueAsync(async () =>
            {
                await ReconcileAsync();
                return (await RowsAsync(merchant.MerchantId)).Count == 0;
            }, TimeSpan.FromSeconds(15), "the pending row was not reconciled");
        }
    }

    [Fact]
    public async Task A_token_mdes_made_after_we_lost_its_answer_is_adopted_when_the_card_is_added_again()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            // The crash window: the PENDING row is written, MDES tokenizes, the process dies before recording the answer.
            var taskId = Guid.NewGuid().ToString("N");
            await using (var db = NpgsqlDataSource.Create(fixture.Database.ConnectionString))
            await using (var insert = db.CreateCommand("""
                INSERT INTO gateway_tokens (id, gateway_token, merchant_id, token_requestor_id, task_id, source, status, pan_suffix, pan_fingerprint, created_at, updated_at)
                VALUES ($1, 'gt_crashed0000000000000000000000', $2, $3, $4, 'ACCOUNT_ADDED_MANUALLY', 'PENDING', '0003', $5, now() - interval '1 minute', now() - interval '1 minute')
                """))
            {
                insert.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
                insert.Parameters.Add(new NpgsqlParameter { Value = merchant.MerchantId });
                insert.Parameters.Add(new NpgsqlParameter { Value = merchant.TokenRequestorId });
                insert.Parameters.Add(new NpgsqlParameter { Value = taskId });
                insert.Parameters.Add(new NpgsqlParameter { Value = fixture.Factory.Services.GetRequiredService<ObotrGateway.Api.CardData.PanFingerprint>().Of(TestCards.Approved) });
                await insert.ExecuteNonQueryAsync();
            }

            using (var scope = fixture.Factory.Services.CreateScope())
            {
                await scope.ServiceProvider.GetRequiredService<MdesWireClient>().TokenizeAsync(new TokenizeRequest
                {
                    TaskId = taskId,
                    FundingAccountInfo = new FundingAccountInfo
                    {
                        EncryptedPayload = new FundingAccountPayload(new FundingAccountData
                        {
                            CardAccountData = new CardAccountData { AccountNumber = TestCards.Approved, ExpiryMonth = "12", ExpiryYear = "31" },
                            Source = "ACCOUNT_ADDED_MANUALLY",
                        }),
                    },
                }, new MdesCallContext(merchant.TokenRequestorId));
            }

            await ReconcileAsync();
            (await RowsAsync(merchant.MerchantId)).Single().Reconciliation.ShouldBe("orphan_suspected");

            var adopted = await client.AddCardAsync(TestCards.Approved);

            adopted.GetProperty("gatewayToken").GetString().ShouldBe("gt_crashed0000000000000000000000");
            var log = await fixture.Simulator.GetJsonAsync("/simulator/requests?operation=tokenize&limit=1000");
            log["requests"]!.AsArray().Count(entry => entry!["tokenRequestorId"]?.GetValue<string>() == merchant.TokenRequestorId).ShouldBe(1);
            var rows = await RowsAsync(merchant.MerchantId);
            rows.Single().Status.ShouldNotBe("PENDING");
            rows.Single().Reconciliation.ShouldBeNull();
        }
    }
}
