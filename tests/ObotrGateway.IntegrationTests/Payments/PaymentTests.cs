using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Payments;

[Collection(CardsTestGroup.Name)]
public sealed class PaymentTests(GatewayFixture fixture)
{
    private static object Payment(string gatewayToken, string recurring = "none", long amount = 1999) =>
        new { gatewayToken, amount, currency = "EUR", recurring };

    private async Task SetModeAsync(Guid merchantId, string mode)
    {
        using var admin = fixture.AdminClient();
        (await admin.PatchAsJsonAsync($"/v1/admin/merchants/{merchantId}", new { tokenizeWhileTransacting = mode })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Pay_with_an_active_gateway_token_authorizes_with_token_and_cryptogram()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = await client.AddActiveCardAsync();

            var (status, body, _) = await client.PostAsync("/v1/payments", Payment(token));

            status.ShouldBe(HttpStatusCode.Created, body.ToString());
            var payment = body.As<PaymentResponse>();
            payment.Status.ShouldBe("authorized");
            payment.NetworkTokenUsed.ShouldBeTrue();
            payment.GatewayToken.ShouldBe(token);
            var stored = await client.GetAsAsync<PaymentResponse>($"/v1/payments/{payment.PaymentId}");
            stored.Status.ShouldBe("authorized");
        }
    }

    [Fact]
    public async Task Several_payments_in_a_row_each_get_a_genuine_unused_cryptogram()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = await client.AddActiveCardAsync();

            for (var i = 0; i < 4; i++)
            {
                var (_, body, _) = await client.PostAsync("/v1/payments", Payment(token, amount: 100 + i));
                body.As<PaymentResponse>().Status.ShouldBe("authorized", $"payment {i}: {body}");
            }
        }
    }

    [Fact]
    public async Task A_just_added_token_is_activated_from_mdes_state_before_paying()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = (await client.AddCardAsync(TestCards.Approved)).As<GatewayTokenResponse>().GatewayToken;
            await Task.Delay(500); // the simulator activates after 300 ms; the gateway has not been told

            var (status, body, _) = await client.PostAsync("/v1/payments", Payment(token));

            status.ShouldBe(HttpStatusCode.Created, body.ToString());
            body.As<PaymentResponse>().Status.ShouldBe("authorized");
        }
    }

    [Fact]
    public async Task Subsequent_recurring_payment_goes_with_sli_247_after_an_initial_one()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = await client.AddActiveCardAsync();

            var initial = await client.PostAsync("/v1/payments", Payment(token, "initial"));
            var subsequent = await client.PostAsync("/v1/payments", Payment(token, "subsequent"));

            initial.Body.As<PaymentResponse>().Status.ShouldBe("authorized");
            // The simulator's acquirer approves 247 without a cryptogram only after a 246 on the same token.
            subsequent.Body.As<PaymentResponse>().Status.ShouldBe("authorized", subsequent.Body.ToString());
            (await SliOfAsync(initial.Body.As<PaymentResponse>().PaymentId)).ShouldBe("246");
            (await SliOfAsync(subsequent.Body.As<PaymentResponse>().PaymentId)).ShouldBe("247");
        }
    }

    [Fact]
    public async Task Subsequent_payment_without_an_initial_one_restarts_the_series_with_a_cryptogram()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = await client.AddActiveCardAsync();

            var first = await client.PostAsync("/v1/payments", Payment(token, "subsequent"));

            first.Body.As<PaymentResponse>().Status.ShouldBe("authorized", first.Body.ToString());
            (await SliOfAsync(first.Body.As<PaymentResponse>().PaymentId)).ShouldBe("246");
        }
    }

    [Fact]
    public async Task Suspended_token_answers_409_token_not_active()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = await client.AddActiveCardAsync();
            var tur = await TurOfAsync(token);
            var (consoleStatus, _) = await fixture.Simulator.ConsoleAsync("/issuer/tokens/suspend",
                new { tokenUniqueReferences = new[] { tur }, reasonCode = "SUSPECTED_FRAUD", userId = "u1", userName = "Test Agent" });
            consoleStatus.ShouldBe(HttpStatusCode.OK);
            (await client.GetAsAsync<GatewayTokenResponse>($"/v1/gateway-tokens/{token}?refresh=true")).Status.ShouldBe("SUSPENDED");

            var (status, body, _) = await client.PostAsync("/v1/payments", Payment(token));

            status.ShouldBe(HttpStatusCode.Conflict);
            body.Code().ShouldBe("token_not_active");
            body.As<ProblemResponse>().SuspendedBy.ShouldNotBeNull().ShouldContain("ISSUER");
        }
    }

    [Fact]
    public async Task Card_without_store_card_is_paid_with_the_pan()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var (status, body, _) = await client.PostAsync("/v1/payments", new { card = TestCards.Card(TestCards.OtherApproved), amount = 500, currency = "USD" });

            status.ShouldBe(HttpStatusCode.Created);
            body.As<PaymentResponse>().Status.ShouldBe("authorized");
            body.As<PaymentResponse>().NetworkTokenUsed.ShouldBeFalse();
            body.TryGetProperty("gatewayToken", out var gt).ShouldBeTrue();
            gt.ValueKind.ShouldBe(JsonValueKind.Null);
        }
    }

    [Fact]
    public async Task Store_card_inline_tokenizes_then_pays_with_the_new_token()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            await SetModeAsync(merchant.MerchantId, "inline");

            var (_, body, _) = await client.PostAsync("/v1/payments", new { card = TestCards.Card(TestCards.ApprovedToo), amount = 700, currency = "EUR", storeCard = true });

            var payment = body.As<PaymentResponse>();
            payment.Status.ShouldBe("authorized", body.ToString());
            payment.NetworkTokenUsed.ShouldBeTrue();
            payment.Tokenization.ShouldBe("tokenized");
            var token = payment.GatewayToken.ShouldNotBeNull();
            (await client.GetAsAsync<GatewayTokenResponse>($"/v1/gateway-tokens/{token}")).Status.ShouldBe("ACTIVE");
        }
    }

    [Fact]
    public async Task Store_card_after_authorization_pays_with_the_pan_and_attaches_the_new_token()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            await SetModeAsync(merchant.MerchantId, "after_authorization");

            var (_, body, _) = await client.PostAsync("/v1/payments", new { card = TestCards.Card(TestCards.ApprovedToo), amount = 700, currency = "EUR", storeCard = true });

            var paid = body.As<PaymentResponse>();
            paid.Status.ShouldBe("authorized", body.ToString());
            paid.NetworkTokenUsed.ShouldBeFalse();
            paid.Tokenization.ShouldBe("tokenized");
            var token = paid.GatewayToken.ShouldNotBeNull();
            var payment = await client.GetAsAsync<PaymentResponse>($"/v1/payments/{paid.PaymentId}");
            payment.GatewayToken.ShouldBe(token);
        }
    }

    [Fact]
    public async Task Store_card_with_a_declined_tokenization_pays_once_with_the_pan_and_stores_nothing()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var (status, body, _) = await client.PostAsync("/v1/payments", new { card = TestCards.Card(TestCards.Declined), amount = 700, currency = "EUR", storeCard = true });

            status.ShouldBe(HttpStatusCode.Created);
            body.As<PaymentResponse>().Tokenization.ShouldBe("declined");
            body.As<PaymentResponse>().NetworkTokenUsed.ShouldBeFalse();
            body.GetProperty("gatewayToken").ValueKind.ShouldBe(JsonValueKind.Null);
            (await client.GetAsAsync<GatewayTokenListResponse>("/v1/gateway-tokens")).GatewayTokens.ShouldBeEmpty();
        }
    }

    [Theory]
    [InlineData("""{"amount":100,"currency":"EUR"}""", "invalid_request")]
    [InlineData("""{"gatewayToken":"gt_x","amount":0,"currency":"EUR"}""", "invalid_request")]
    [InlineData("""{"gatewayToken":"gt_x","amount":100,"currency":"eur"}""", "invalid_request")]
    [InlineData("""{"gatewayToken":"gt_x","amount":100,"currency":"EUR","recurring":"weekly"}""", "invalid_request")]
    [InlineData("""{"gatewayToken":"gt_x","amount":"lots","currency":"EUR"}""", "malformed_request")]
    [InlineData("""{"gatewayToken":""", "malformed_request")]
    public async Task Bad_payment_requests_answer_400_problems(string json, string code)
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var response = await client.PostAsync("/v1/payments", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await response.Content.ReadFromJsonAsync<JsonElement>()).Code().ShouldBe(code);
        }
    }

    [Fact]
    public async Task Unknown_gateway_token_answers_404_and_a_stranger_cannot_read_a_payment()
    {
        var (_, owner) = await fixture.NewMerchantAsync();
        var (_, stranger) = await fixture.NewMerchantAsync();
        using (owner)
        using (stranger)
        {
            var token = await owner.AddActiveCardAsync();
            var paid = await owner.PostAsync("/v1/payments", Payment(token));

            (await stranger.PostAsync("/v1/payments", Payment(token))).Status.ShouldBe(HttpStatusCode.NotFound);
            (await stranger.GetAsync($"/v1/payments/{paid.Body.As<PaymentResponse>().PaymentId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task Oversized_body_answers_413_and_unknown_key_401()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        using (var stranger = fixture.MerchantClient("obk_not-a-real-key-000000000000000000000000"))
        {
            var big = new StringContent("{\"gatewayToken\":\"" + new string('x', 100_000) + "\"}", System.Text.Encoding.UTF8, "application/json");

            (await client.PostAsync("/v1/payments", big)).StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
            (await stranger.PostAsJsonAsync("/v1/payments", new { })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
    }

    private async Task<string?> SliOfAsync(Guid paymentId)
    {
        await using var db = Npgsql.NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        await using var query = db.CreateCommand("SELECT security_level_indicator FROM payments WHERE id = $1");
        query.Parameters.Add(new Npgsql.NpgsqlParameter { Value = paymentId });
        return (string?)await query.ExecuteScalarAsync();
    }

    internal async Task<string> TurOfAsync(string gatewayToken)
    {
        await using var db = Npgsql.NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        await using var query = db.CreateCommand("SELECT token_unique_reference FROM gateway_tokens WHERE gateway_token = $1");
        query.Parameters.Add(new Npgsql.NpgsqlParameter { Value = gatewayToken });
        return (string)(await query.ExecuteScalarAsync())!;
    }
}
