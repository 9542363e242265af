using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Merchants;

[Collection(GatewayTestGroup.Name)]
public sealed class AdminMerchantTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Create_merchant_returns_a_key_that_authenticates_as_that_merchant()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var profile = await client.GetAsAsync<MerchantProfileResponse>("/v1/merchant");

            profile.MerchantId.ShouldBe(merchant.MerchantId);
            profile.TokenRequestorId.ShouldBe(merchant.TokenRequestorId);
            merchant.ApiKey.ShouldStartWith("obk_");
        }
    }

    [Fact]
    public async Task Api_key_is_stored_only_as_a_hash()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        client.Dispose();
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM merchants WHERE position(convert_to($1, 'UTF8') in api_key_hash) > 0 OR name LIKE '%' || $1 || '%'");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = merchant.ApiKey });

        ((long)(await command.ExecuteScalarAsync())!).ShouldBe(0);
    }

    [Fact]
    public async Task Rotating_the_key_stops_the_old_key_and_starts_the_new_one()
    {
        var (merchant, oldClient) = await fixture.NewMerchantAsync();
        using var admin = fixture.AdminClient();

        var rotated = await admin.PostAsync($"/v1/admin/merchants/{merchant.MerchantId}/rotate-key", null);
        rotated.StatusCode.ShouldBe(HttpStatusCode.OK);
        var newKey = (await rotated.Content.AsAsync<RotatedKeyResponse>()).ApiKey;

        (await oldClient.GetAsync("/v1/merchant")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var newClient = fixture.MerchantClient(newKey);
        (await newClient.GetAsync("/v1/merchant")).StatusCode.ShouldBe(HttpStatusCode.OK);
        oldClient.Dispose();
    }

    [Theory]
    [InlineData("""{"name":"x","tokenRequestorId":"123"}""", "invalid_request")]
    [InlineData("""{"name":"","tokenRequestorId":"12345678901"}""", "invalid_request")]
    [InlineData("""{"name":"x","tokenRequestorId":"1234567890a"}""", "invalid_request")]
    [InlineData("""{"name":"x", broken""", "malformed_request")]
    public async Task Bad_input_answers_400_problem_with_a_stable_code(string body, string code)
    {
        using var admin = fixture.AdminClient();

        var response = await admin.PostAsync("/v1/admin/merchants", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonElement>()).Code().ShouldBe(code);
    }

    [Fact]
    public async Task A_second_merchant_with_the_same_trid_is_refused_with_409()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        client.Dispose();
        using var admin = fixture.AdminClient();

        var response = await admin.PostAsJsonAsync("/v1/admin/merchants", new { name = "Copy", tokenRequestorId = merchant.TokenRequestorId });

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).Code().ShouldBe("token_requestor_id_taken");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-admin-key-0123456789abcdef")]
    [InlineData("obk_looks-like-a-merchant-key-but-is-not")]
    public async Task Admin_api_without_the_admin_key_answers_401(string? key)
    {
        using var client = fixture.Factory.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        var response = await client.GetAsync("/v1/admin/merchants");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).Code().ShouldBe("unauthorized");
    }

    [Fact]
    public async Task A_merchant_key_does_not_open_the_admin_api()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            (await client.GetAsync("/v1/admin/merchants")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task List_pages_through_merchants_in_creation_order()
    {
        for (var i = 0; i < 3; i++)
        {
            (await fixture.NewMerchantAsync()).Client.Dispose();
        }

        using var admin = fixture.AdminClient();
        var first = await admin.GetAsAsync<MerchantPageResponse>("/v1/admin/merchants?limit=2");
        var after = first.NextAfter ?? throw new ShouldAssertException("a first page of 2 out of 3 or more has a next page");
        var second = await admin.GetAsAsync<MerchantPageResponse>($"/v1/admin/merchants?limit=2&after={after}");

        first.Merchants.Count.ShouldBe(2);
        var firstIds = first.Merchants.Select(m => m.MerchantId).ToList();
        var secondIds = second.Merchants.Select(m => m.MerchantId).ToList();
        secondIds.ShouldNotBeEmpty();
        secondIds.Intersect(firstIds).ShouldBeEmpty();
        secondIds[0].CompareTo(firstIds[^1]).ShouldBeGreaterThan(0);
    }
}
