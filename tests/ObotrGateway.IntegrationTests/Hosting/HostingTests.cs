using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Hosting;

[Collection(GatewayTestGroup.Name)]
public sealed class HostingTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Ready_with_postgres_redis_and_rabbitmq_up_answers_200_with_each_check()
    {
        using var client = fixture.Factory.CreateClient();

        // The bus connects in the background after boot; readiness may need a moment.
        var response = await Eventually.LastAsync(() => client.GetAsync("/health/ready"), ready => ready.StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250)); // was 40 attempts 250 ms apart, each a full readiness check

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = body.RootElement.GetProperty("checks");
        checks.GetProperty("postgres").GetProperty("status").GetString().ShouldBe("Healthy");
        checks.GetProperty("redis").GetProperty("status").GetString().ShouldBe("Healthy");
        checks.GetProperty("masstransit-bus").GetProperty("status").GetString().ShouldBe("Healthy");
    }

    [Fact]
    public async Task Live_answers_200_without_checking_dependencies()
    {
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync("/health/live");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task OpenApi_document_is_served_and_describes_the_admin_api()
    {
        using var client = fixture.Factory.CreateClient();

        var response = await client.GetAsync("/openapi/v1.json");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        document.RootElement.GetProperty("info").GetProperty("title").GetString().ShouldBe("ObotrGateway");
        document.RootElement.GetProperty("paths").TryGetProperty("/v1/admin/merchants", out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData("/v1/gateway-tokens", "201")]
    [InlineData("/v1/gateway-tokens", "422")]
    [InlineData("/v1/payments", "201")]
    [InlineData("/v1/payments", "409")]
    [InlineData("/v1/network-tokens", "201")]
    public async Task OpenApi_merchant_writes_carry_request_and_response_examples(string path, string status)
    {
        using var client = fixture.Factory.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        var post = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty("post");
        post.GetProperty("requestBody").GetProperty("content").EnumerateObject().First().Value.TryGetProperty("example", out _).ShouldBeTrue();
        post.GetProperty("responses").GetProperty(status).GetProperty("content").EnumerateObject().First().Value
            .GetProperty("example").ValueKind.ShouldBe(JsonValueKind.Object);
    }

    [Theory]
    [InlineData("ConnectionStrings:Postgres", "", "ConnectionStrings:Postgres")]
    [InlineData("ConnectionStrings:RabbitMq", "http://not-amqp", "ConnectionStrings:RabbitMq")]
    [InlineData("Admin:ApiKey", "short", "Admin:ApiKey")]
    [InlineData("DataProtection:Key", "c2hvcnQ=", "DataProtection:Key")]
    [InlineData("Redis:KeyPrefix", "bad prefix", "Redis:KeyPrefix")]
    public void Boot_with_a_missing_or_malformed_setting_stops_with_a_message_naming_it(string key, string value, string named)
    {
        var settings = fixture.Settings();
        settings[key] = value;
        using var factory = new GatewayFactory(settings, new CapturedLogs());

        var failure = Should.Throw<OptionsValidationException>(() => factory.Server);

        failure.Message.ShouldContain(named);
    }
}
