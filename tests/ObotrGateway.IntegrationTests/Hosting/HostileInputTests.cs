using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Hosting;

/// <summary>Each hostile input the issue found (a 5xx, an empty 400, a silently ignored field) answered as a problem naming the field.</summary>
[Collection(GatewayTestGroup.Name)]
public sealed class HostileInputTests(GatewayFixture fixture)
{
    [Theory]
    [InlineData("application/json; charset=utf-7")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=latin1")]
    public async Task Json_body_in_a_charset_other_than_utf8_is_415_unsupported_charset(string contentType)
    {
        var (_, merchant) = await fixture.NewMerchantAsync();

        var (status, problem) = await SendAsync(merchant, HttpMethod.Post, "/v1/gateway-tokens", """{"card":{}}""", contentType);

        status.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        problem.Code().ShouldBe("unsupported_charset");
    }

    [Fact]
    public async Task Json_body_with_charset_utf8_in_any_spelling_is_accepted()
    {
        var (_, merchant) = await fixture.NewMerchantAsync();

        var (status, problem) = await SendAsync(merchant, HttpMethod.Post, "/v1/payments",
            """{"gatewayToken":"gt_missing","amount":100,"currency":"EUR"}""", "application/json; charset=\"UTF-8\"");

        status.ShouldBe(HttpStatusCode.NotFound, problem.ToString());
    }

    [Theory]
    [InlineData("/v1/payments", """{"card":{"pan":"5204731600001111","expiryMonth":12,"expiryYear":2031},"amount":100,"currency":"EUR","tokenize":true}""", "tokenize")]
    [InlineData("/v1/payments", """{"card":{"pan":"5204731600001111","expiryMonth":12,"expiryYear":2031,"cvv":"123"},"amount":100,"currency":"EUR"}""", "card.cvv")]
    [InlineData("/v1/gateway-tokens", """{"card":{"pan":"5204731600001111","expiryMonth":12,"expiryYear":2031},"storeCard":true}""", "storeCard")]
    [InlineData("/v1/network-tokens", """{"gatewayToken":"gt_x","cryptogramType":"DSRP"}""", "cryptogramType")]
    [InlineData("/v1/gateway-tokens/gt_x/suspend", """{"reason":"r","force":true}""", "force")]
    [InlineData("/v1/gateway-tokens/suspend", """{"gatewayTokens":["gt_x"],"all":true}""", "all")]
    [InlineData("/v1/gateway-tokens/gt_x/cryptograms", """{"amount":100}""", "amount")]
    [InlineData("/v1/customer-service/token-search", """{"pan":"5204731600001111","cvc":"123"}""", "cvc")]
    public async Task Merchant_body_with_an_unknown_member_is_400_unknown_field_naming_it_and_changes_nothing(string path, string body, string field)
    {
        var (_, merchant) = await fixture.NewMerchantAsync();

        var (status, problem) = await SendAsync(merchant, HttpMethod.Post, path, body);

        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        problem.Code().ShouldBe("unknown_field");
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(problem.ToString());
        (await merchant.GetFromJsonAsync<JsonElement>("/v1/gateway-tokens")).GetProperty("gatewayTokens").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Admin_and_webhook_bodies_are_strict_too()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using var admin = fixture.AdminClient();

        var patch = await SendAsync(admin, HttpMethod.Patch, $"/v1/admin/merchants/{merchant.MerchantId}", """{"name":"New","nmae":"typo"}""");
        var webhook = await SendAsync(client, HttpMethod.Put, "/v1/merchant/webhook", """{"url":"https://example.test/h","secret":"mine"}""");

        patch.Problem.Code().ShouldBe("unknown_field");
        webhook.Problem.Code().ShouldBe("unknown_field");
        (await admin.GetFromJsonAsync<JsonElement>($"/v1/admin/merchants?limit=200")).ToString().ShouldNotContain("\"New\"");
        (await client.GetAsync("/v1/merchant/webhook")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Member_given_twice_is_400_duplicate_field()
    {
        var (_, merchant) = await fixture.NewMerchantAsync();

        var (status, problem) = await SendAsync(merchant, HttpMethod.Post, "/v1/payments",
            """{"gatewayToken":"gt_x","amount":1,"amount":100000,"currency":"EUR"}""");

        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.Code().ShouldBe("duplicate_field");
        problem.GetProperty("errors").TryGetProperty("amount", out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData("""{"name":"a\u0000b","tokenRequestorId":"50000000001"}""", "name")]
    [InlineData("""{"name":"a\ud800b","tokenRequestorId":"50000000001"}""", "name")]
    [InlineData("""{"name":"ok","tokenRequestorId":"5000000000\u0000"}""", "tokenRequestorId")]
    public async Task Nul_or_lone_surrogate_in_a_json_string_is_400_invalid_characters_naming_the_field(string body, string field)
    {
        using var admin = fixture.AdminClient();

        var (status, problem) = await SendAsync(admin, HttpMethod.Post, "/v1/admin/merchants", body);

        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        problem.Code().ShouldBe("invalid_characters");
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(problem.ToString());
    }

    [Fact]
    public async Task Invalid_utf8_bytes_in_a_json_body_are_400_not_500()
    {
        using var admin = fixture.AdminClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/merchants")
        {
            Content = new ByteArrayContent([.. "{\"name\":\""u8, 0xC3, 0x28, .. "\",\"tokenRequestorId\":\"50000000002\"}"u8]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await admin.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Problem(response)).Code().ShouldBe("invalid_characters");
    }

    [Theory]
    [InlineData("/v1/gateway-tokens?before=gt%00x", "query.before")]
    [InlineData("/v1/gateway-tokens?before=%FF%FE", "query.before")]
    [InlineData("/v1/gateway-tokens?before=%ED%A0%80", "query.before")]
    [InlineData("/v1/gateway-tokens/gt%01x/cryptograms", "gatewayToken")]
    public async Task Nul_control_or_invalid_utf8_in_route_or_query_is_400_invalid_characters_naming_it(string path, string field)
    {
        var (_, merchant) = await fixture.NewMerchantAsync();

        var method = path.EndsWith("cryptograms", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get;
        var (status, problem) = await SendAsync(merchant, method, path, null);

        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        problem.Code().ShouldBe("invalid_characters");
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(problem.ToString());
    }

    [Fact]
    public async Task Nul_in_the_path_is_refused_by_kestrel_before_the_application()
    {
        var (_, merchant) = await fixture.NewMerchantAsync();

        using var response = await merchant.GetAsync("/v1/gateway-tokens/gt%00x");

        // Kestrel's own refusal: written before any middleware runs, so it cannot carry a problem body (docs/security.md ("Hostile input")).
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"olderThan":"10675199.02:48:05.4775807"}""", "olderThan", "invalid_resync_request")]
    [InlineData("""{"olderThan":"3651.00:00:00"}""", "olderThan", "invalid_resync_request")]
    [InlineData("""{"olderThan":"99999999.00:00:00"}""", "olderThan", "malformed_request")]
    [InlineData("""{"olderThan":"00:10:00","limit":99999999999}""", "limit", "malformed_request")]
    public async Task Resync_with_an_out_of_range_duration_or_number_is_400_naming_the_field(string body, string field, string code)
    {
        using var admin = fixture.AdminClient();

        var (status, problem) = await SendAsync(admin, HttpMethod.Post, "/v1/admin/tokens/resync", body);

        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        problem.Code().ShouldBe(code);
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(problem.ToString());
    }

    [Theory]
    [InlineData("""{"gatewayToken":"gt_x","amount":1000000000000,"currency":"EUR"}""", "amount")]
    [InlineData("""{"gatewayToken":"gt_x","amount":100,"currency":"XXX"}""", "currency")]
    [InlineData("""{"gatewayToken":"gt_x","amount":100,"currency":"HRK"}""", "currency")]
    [InlineData("""{"gatewayToken":"gt_x","amount":100,"currency":"ABC"}""", "currency")]
    public async Task Payment_amount_over_the_bound_or_currency_not_active_iso4217_is_400_naming_it(string body, string field)
    {
        var (_, merchant) = await fixture.NewMerchantAsync();

        var (status, problem) = await SendAsync(merchant, HttpMethod.Post, "/v1/payments", body);

        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        problem.Code().ShouldBe("invalid_request");
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(problem.ToString());
    }

    [Theory]
    [InlineData("""{"gatewayToken":""", "malformed_request")]
    [InlineData("""{"gatewayToken":"gt_x","amount":"lots","currency":"EUR"}""", "malformed_request")]
    [InlineData("", "missing_body")]
    public async Task Malformed_or_missing_json_is_400_with_a_code(string body, string code)
    {
        var (_, merchant) = await fixture.NewMerchantAsync();

        var (status, problem) = await SendAsync(merchant, HttpMethod.Post, "/v1/payments", body);

        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        problem.Code().ShouldBe(code);
    }

    [Fact]
    public async Task Malformed_json_is_400_in_development_too()
    {
        // Development throws binding failures by default; they used to reach the exception handler as a 500.
        await using var development = fixture.Factory.WithWebHostBuilder(builder => builder.UseEnvironment("Development"));
        using var admin = development.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFixture.AdminKey);

        var broken = await SendAsync(admin, HttpMethod.Post, "/v1/admin/merchants", """{"name":""");
        var unknown = await SendAsync(admin, HttpMethod.Post, "/v1/admin/merchants", """{"name":"x","tokenRequestorId":"50000000003","vip":true}""");
        var mistyped = await SendAsync(admin, HttpMethod.Post, "/v1/admin/merchants", """{"name":1,"tokenRequestorId":"50000000003"}""");

        broken.Status.ShouldBe(HttpStatusCode.BadRequest);
        broken.Problem.Code().ShouldBe("malformed_request");
        unknown.Problem.Code().ShouldBe("unknown_field");
        mistyped.Status.ShouldBe(HttpStatusCode.BadRequest);
        mistyped.Problem.Code().ShouldBe("malformed_request");
        mistyped.Problem.GetProperty("errors").TryGetProperty("name", out _).ShouldBeTrue(mistyped.Problem.ToString());
    }

    [Fact]
    public async Task Query_value_the_binder_cannot_parse_is_400_invalid_parameter_naming_it()
    {
        var (_, merchant) = await fixture.NewMerchantAsync();

        var (status, problem) = await SendAsync(merchant, HttpMethod.Get, "/v1/gateway-tokens?limit=99999999999", null);

        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        problem.Code().ShouldBe("invalid_parameter");
        problem.GetProperty("errors").TryGetProperty("limit", out _).ShouldBeTrue(problem.ToString());
    }

    [Fact]
    public async Task Over_long_target_and_header_block_get_problem_bodies_414_and_431()
    {
        var (_, merchant) = await fixture.NewMerchantAsync();

        var uri = await SendAsync(merchant, HttpMethod.Get, "/v1/gateway-tokens/" + new string('g', 9_000), null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/merchant");
        request.Headers.TryAddWithoutValidation("X-Padding", new string('p', 40_000));
        using var headers = await merchant.SendAsync(request);

        uri.Status.ShouldBe(HttpStatusCode.RequestUriTooLong);
        uri.Problem.Code().ShouldBe("uri_too_long");
        headers.StatusCode.ShouldBe(HttpStatusCode.RequestHeaderFieldsTooLarge);
        (await Problem(headers)).Code().ShouldBe("headers_too_large");
    }

    [Fact]
    public async Task Error_answers_are_problem_json_even_when_accept_names_only_html()
    {
        var (_, merchant) = await fixture.NewMerchantAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/no-such-route");
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await merchant.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Problem(response)).Code().ShouldBe("not_found");
    }

    private static async Task<(HttpStatusCode Status, JsonElement Problem)> SendAsync(HttpClient client, HttpMethod method, string path, string? body,
        string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.Remove("Content-Type");
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await Problem(response));
    }

    private static async Task<JsonElement> Problem(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
