using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.GatewayTokens;

[Collection(CardsTestGroup.Name)]
public sealed class AddCardTests(GatewayFixture fixture)
{
    private async Task<long> StoredTokensAsync(Guid merchantId)
    {
        await using var db = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        await using var count = db.CreateCommand("SELECT count(*) FROM gateway_tokens WHERE merchant_id = $1");
        count.Parameters.Add(new NpgsqlParameter { Value = merchantId });
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private async Task<int> TokenizeCallsAsync(string trid)
    {
        var log = await fixture.Simulator.GetJsonAsync("/simulator/requests?operation=tokenize&limit=1000");
        return log["requests"]!.AsArray().Count(entry => entry!["tokenRequestorId"]?.GetValue<string>() == trid);
    }

    [Fact]
    public async Task Approved_card_returns_an_opaque_gateway_token_with_suffixes_and_product_config()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var added = (await client.AddCardAsync(TestCards.Approved)).As<GatewayTokenResponse>();

            added.GatewayToken.ShouldStartWith("gt_");
            added.GatewayToken.ShouldNotContain("0003");
            added.Decision.ShouldBe("APPROVED");
            added.Status.ShouldBe("INACTIVE");
            added.PanSuffix.ShouldBe("0003");
            added.TokenPanSuffix.ShouldNotBeNull().Length.ShouldBe(4);
            added.TokenExpiry.ShouldNotBeNull().Length.ShouldBe(4);
            added.ProductConfig.ShouldNotBeNull().GetProperty("brandLogoAssetId").GetString().ShouldNotBeNullOrEmpty();
            (await StoredTokensAsync(merchant.MerchantId)).ShouldBe(1);
        }
    }

    [Fact]
    public async Task Additional_authentication_decision_still_creates_the_token()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var added = (await client.AddCardAsync(TestCards.AdditionalAuthentication)).As<GatewayTokenResponse>();

            added.Decision.ShouldBe("REQUIRE_ADDITIONAL_AUTHENTICATION");
        }
    }

    [Theory]
    [InlineData(TestCards.Declined, "tokenization_declined")]
    [InlineData(TestCards.Ineligible, "pan_ineligible")]
    public async Task Declined_or_ineligible_card_answers_422_and_stores_nothing(string pan, string code)
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var body = await client.AddCardAsync(pan, HttpStatusCode.UnprocessableEntity);

            body.Code().ShouldBe(code);
            (await StoredTokensAsync(merchant.MerchantId)).ShouldBe(0);
        }
    }

    [Fact]
    public async Task Issuer_error_answers_503_with_retry_after_and_stores_nothing()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var (status, body, response) = await client.PostAsync("/v1/gateway-tokens", new { card = TestCards.Card(TestCards.IssuerError) });

            status.ShouldBe(HttpStatusCode.ServiceUnavailable);
            body.Code().ShouldBe("network_unavailable");
            response.Headers.RetryAfter.ShouldNotBeNull();
            (await StoredTokensAsync(merchant.MerchantId)).ShouldBe(0);
        }
    }

    [Theory]
    [InlineData(TestCards.NotLuhn, 12, 2031, "card.pan")]
    [InlineData("52047300001", 12, 2031, "card.pan")]
    [InlineData("5204a30000100003", 12, 2031, "card.pan")]
    [InlineData(TestCards.Approved, 13, 2031, "card.expiryMonth")]
    [InlineData(TestCards.Approved, 1, 2024, "card.expiryYear")]
    public async Task Invalid_card_answers_400_without_calling_mdes(string pan, int month, int year, string field)
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var (status, body, _) = await client.PostAsync("/v1/gateway-tokens", new { card = new { pan, expiryMonth = month, expiryYear = year } });

            status.ShouldBe(HttpStatusCode.BadRequest);
            body.Code().ShouldBe("invalid_card");
            body.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
            body.ToString().ShouldNotContain(pan.Length > 8 ? pan : "never-a-match");
            (await TokenizeCallsAsync(merchant.TokenRequestorId)).ShouldBe(0);
            (await StoredTokensAsync(merchant.MerchantId)).ShouldBe(0);
        }
    }

    [Fact]
    public async Task Tokenize_goes_to_mdes_with_the_merchants_own_trid()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            await client.AddCardAsync(TestCards.OtherApproved);

            (await TokenizeCallsAsync(merchant.TokenRequestorId)).ShouldBe(1);
        }
    }

    [Fact]
    public async Task Refresh_reads_the_activated_state_from_mdes()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var token = await client.AddActiveCardAsync();

            var stored = await client.GetAsAsync<GatewayTokenResponse>($"/v1/gateway-tokens/{token}");
            stored.Status.ShouldBe("ACTIVE");
            stored.StatusTimestamp.ShouldNotBeNull().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
        }
    }

    [Fact]
    public async Task Another_merchants_gateway_token_answers_404_like_a_missing_one()
    {
        var (_, owner) = await fixture.NewMerchantAsync();
        var (_, stranger) = await fixture.NewMerchantAsync();
        using (owner)
        using (stranger)
        {
            var token = (await owner.AddCardAsync(TestCards.Approved)).As<GatewayTokenResponse>().GatewayToken;

            var theirs = await stranger.GetAsync($"/v1/gateway-tokens/{token}");
            var missing = await stranger.GetAsync("/v1/gateway-tokens/gt_00000000000000000000000000000000");

            theirs.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await theirs.Content.ReadFromJsonAsync<JsonElement>()).Code().ShouldBe((await missing.Content.ReadFromJsonAsync<JsonElement>()).Code());
            (await stranger.GetAsAsync<GatewayTokenListResponse>("/v1/gateway-tokens")).GatewayTokens.ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task List_pages_through_the_merchants_tokens_newest_first()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var created = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                created.Add((await client.AddCardAsync(TestCards.Approved)).As<GatewayTokenResponse>().GatewayToken);
            }

            var first = await client.GetAsAsync<GatewayTokenListResponse>("/v1/gateway-tokens?limit=2");
            var next = first.NextBefore ?? throw new ShouldAssertException("a first page of 2 out of 3 has a next page");
            var second = await client.GetAsAsync<GatewayTokenListResponse>($"/v1/gateway-tokens?limit=2&before={next}");

            var seen = first.GatewayTokens.Concat(second.GatewayTokens).Select(token => token.GatewayToken).ToList();
            seen.ShouldBe(Enumerable.Reverse(created).ToList());
        }
    }
}
