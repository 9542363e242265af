using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Idempotency;

[Collection(CardsTestGroup.Name)]
public sealed class IdempotencyTests(GatewayFixture fixture)
{
    private async Task<long> CountAsync(string table, Guid merchantId)
    {
        await using var db = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        await using var count = db.CreateCommand($"SELECT count(*) FROM {table} WHERE merchant_id = $1");
        count.Parameters.Add(new NpgsqlParameter { Value = merchantId });
        return (long)(await count.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Same_key_and_body_replays_the_stored_response_without_a_second_payment()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = await client.AddActiveCardAsync();
            var body = new { gatewayToken = token, amount = 1234, currency = "EUR" };

            var first = await client.PostAsync("/v1/payments", body, "order-42");
            var again = await client.PostAsync("/v1/payments", body, "order-42");

            again.Status.ShouldBe(first.Status);
            again.Body.As<PaymentResponse>().PaymentId.ShouldBe(first.Body.As<PaymentResponse>().PaymentId);
            again.Response.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
            again.Response.Headers.Location.ShouldBe(first.Response.Headers.Location);
            (await CountAsync("payments", merchant.MerchantId)).ShouldBe(1);
        }
    }

    [Fact]
    public async Task Same_key_with_a_different_body_answers_422_and_changes_nothing()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = await client.AddActiveCardAsync();
            await client.PostAsync("/v1/payments", new { gatewayToken = token, amount = 100, currency = "EUR" }, "k-1");

            var reused = await client.PostAsync("/v1/payments", new { gatewayToken = token, amount = 999, currency = "EUR" }, "k-1");

            reused.Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
            reused.Body.Code().ShouldBe("idempotency_key_reused");
            (await CountAsync("payments", merchant.MerchantId)).ShouldBe(1);
        }
    }

    [Fact]
    public async Task Concurrent_duplicates_execute_once_and_all_get_the_same_answer()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var card = new { card = TestCards.Card(TestCards.OtherApproved) };

            var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.PostAsync("/v1/gateway-tokens", card, "add-card-1")));

            results.ShouldAllBe(result => result.Status == HttpStatusCode.Created);
            results.Select(result => result.Body.As<GatewayTokenResponse>().GatewayToken).Distinct().Count().ShouldBe(1);
            (await CountAsync("gateway_tokens", merchant.MerchantId)).ShouldBe(1);
        }
    }

    [Fact]
    public async Task Keys_are_scoped_per_merchant()
    {
        var (_, first) = await fixture.NewMerchantAsync();
        var (_, second) = await fixture.NewMerchantAsync();
        using (first)
        using (second)
        {
            var a = await first.PostAsync("/v1/gateway-tokens", new { card = TestCards.Card(TestCards.Approved) }, "shared-key");
            var b = await second.PostAsync("/v1/gateway-tokens", new { card = TestCards.Card(TestCards.Approved) }, "shared-key");

            a.Status.ShouldBe(HttpStatusCode.Created);
            b.Status.ShouldBe(HttpStatusCode.Created);
            b.Body.As<GatewayTokenResponse>().GatewayToken.ShouldNotBe(a.Body.As<GatewayTokenResponse>().GatewayToken);
        }
    }

    [Fact]
    public async Task A_refused_request_is_stored_too_and_a_5xx_is_not()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var declined = await client.PostAsync("/v1/gateway-tokens", new { card = TestCards.Card(TestCards.Declined) }, "declined-1");
            var unavailable = await client.PostAsync("/v1/gateway-tokens", new { card = TestCards.Card(TestCards.IssuerError) }, "unavailable-1");

            declined.Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
            unavailable.Status.ShouldBe(HttpStatusCode.ServiceUnavailable);
            await using var db = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
            await using var keys = db.CreateCommand("SELECT idempotency_key FROM idempotency_records WHERE merchant_id = $1");
            keys.Parameters.Add(new NpgsqlParameter { Value = merchant.MerchantId });
            await using var reader = await keys.ExecuteReaderAsync();
            var stored = new List<string>();
            while (await reader.ReadAsync())
            {
                stored.Add(reader.GetString(0));
            }

            stored.ShouldBe(["declined-1"]);
            // MDES's decline is the outcome of a call that happened: the retry replays it instead of asking MDES again.
            var retried = await client.PostAsync("/v1/gateway-tokens", new { card = TestCards.Card(TestCards.Declined) }, "declined-1");
            retried.Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
            retried.Response.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        }
    }

    [Fact]
    public async Task A_validation_failure_stores_nothing_and_the_corrected_retry_with_the_same_key_succeeds()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var invalid = await client.PostAsync("/v1/gateway-tokens", new { card = TestCards.Card(TestCards.NotLuhn) }, "typo-1");
            var recordsAfterInvalid = await CountAsync("idempotency_records", merchant.MerchantId);
            var corrected = await client.PostAsync("/v1/gateway-tokens", new { card = TestCards.Card(TestCards.Approved) }, "typo-1");
            var replayed = await client.PostAsync("/v1/gateway-tokens", new { card = TestCards.Card(TestCards.Approved) }, "typo-1");

            invalid.Status.ShouldBe(HttpStatusCode.BadRequest);
            invalid.Body.Code().ShouldBe("invalid_card");
            recordsAfterInvalid.ShouldBe(0);
            corrected.Status.ShouldBe(HttpStatusCode.Created, corrected.Body.ToString());
            replayed.Response.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
            replayed.Body.As<GatewayTokenResponse>().GatewayToken.ShouldBe(corrected.Body.As<GatewayTokenResponse>().GatewayToken);
            (await CountAsync("gateway_tokens", merchant.MerchantId)).ShouldBe(1);
        }
    }

    [Fact]
    public async Task Refusals_decided_before_any_network_call_store_nothing()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = await client.AddActiveCardAsync();
            var unknownToken = await client.PostAsync("/v1/payments", new { gatewayToken = "gt_" + new string('0', 32), amount = 100, currency = "EUR" }, "pay-1");
            var missingAmount = await client.PostAsync("/v1/payments", new { gatewayToken = token, currency = "EUR" }, "pay-1");
            using var malformed = new HttpRequestMessage(HttpMethod.Post, "/v1/payments")
            {
                Content = new StringContent("{\"gatewayToken\":", System.Text.Encoding.UTF8, "application/json"),
            };
            malformed.Headers.Add("Idempotency-Key", "pay-1");
            var malformedResponse = await client.SendAsync(malformed);
            var recordsAfterRefusals = await CountAsync("idempotency_records", merchant.MerchantId);

            var paid = await client.PostAsync("/v1/payments", new { gatewayToken = token, amount = 100, currency = "EUR" }, "pay-1");

            unknownToken.Status.ShouldBe(HttpStatusCode.NotFound);
            missingAmount.Status.ShouldBe(HttpStatusCode.BadRequest);
            malformedResponse.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            recordsAfterRefusals.ShouldBe(0);
            paid.Status.ShouldBe(HttpStatusCode.Created, paid.Body.ToString());
            (await CountAsync("payments", merchant.MerchantId)).ShouldBe(1);
        }
    }

    [Fact]
    public async Task Stored_responses_are_encrypted_at_rest()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = await client.AddActiveCardAsync();
            var handoff = await client.PostAsync("/v1/network-tokens", new { gatewayToken = token }, "handoff-1");
            var tokenNumber = handoff.Body.As<NetworkTokenResponse>().TokenNumber;
            fixture.SecretsSeen.Add(tokenNumber);

            await using var db = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
            await using var raw = db.CreateCommand("SELECT response_body FROM idempotency_records WHERE merchant_id = $1 AND idempotency_key = 'handoff-1'");
            raw.Parameters.Add(new NpgsqlParameter { Value = merchant.MerchantId });
            var bytes = (byte[])(await raw.ExecuteScalarAsync())!;

            System.Text.Encoding.Latin1.GetString(bytes).ShouldNotContain(tokenNumber);
            var replay = await client.PostAsync("/v1/network-tokens", new { gatewayToken = token }, "handoff-1");
            replay.Body.As<NetworkTokenResponse>().TokenNumber.ShouldBe(tokenNumber);
        }
    }

    [Fact]
    public async Task Records_past_retention_are_forgotten_and_the_key_executes_again()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var first = await client.PostAsync("/v1/gateway-tokens", new { card = TestCards.Card(TestCards.Approved) }, "old-key");
            await using (var db = NpgsqlDataSource.Create(fixture.Database.ConnectionString))
            await using (var age = db.CreateCommand("UPDATE idempotency_records SET created_at = now() - interval '25 hours' WHERE merchant_id = $1"))
            {
                age.Parameters.Add(new NpgsqlParameter { Value = merchant.MerchantId });
                await age.ExecuteNonQueryAsync();
            }

            var purged = await fixture.Factory.Services.GetRequiredService<ObotrGateway.Api.Idempotency.IdempotencyRecordPurge>()
                .PurgeOnceAsync(CancellationToken.None);
            var again = await client.PostAsync("/v1/gateway-tokens", new { card = TestCards.Card(TestCards.Approved) }, "old-key");

            purged.ShouldBeGreaterThanOrEqualTo(1);
            again.Status.ShouldBe(HttpStatusCode.Created);
            again.Body.As<GatewayTokenResponse>().GatewayToken.ShouldNotBe(first.Body.As<GatewayTokenResponse>().GatewayToken);
        }
    }

    [Fact]
    public async Task Concurrent_duplicate_payments_authorize_once()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = await client.AddActiveCardAsync();
            var body = new { gatewayToken = token, amount = 4200, currency = "EUR" };

            var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.PostAsync("/v1/payments", body, "pay-once")));

            results.ShouldAllBe(result => result.Status == HttpStatusCode.Created);
            results.Select(result => result.Body.As<PaymentResponse>().PaymentId).Distinct().Count().ShouldBe(1);
            (await CountAsync("payments", merchant.MerchantId)).ShouldBe(1);
        }
    }

    [Fact]
    public async Task An_oversized_body_with_a_key_answers_413_and_claims_nothing()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payments")
            {
                Content = new StringContent("{\"gatewayToken\":\"" + new string('x', 100_000) + "\"}", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", "too-big");

            var response = await client.SendAsync(request);

            response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
            (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(response.Content)).Code().ShouldBe("payload_too_large");
            (await CountAsync("idempotency_records", merchant.MerchantId)).ShouldBe(0);
        }
    }
}
