using System.Net;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Hosting;

[Collection(GatewayTestGroup.Name)]
public sealed class TelemetryTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Card_data_scan_sees_the_spans_and_labels_telemetry_exports()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            (await client.AddCardAsync(TestCards.Approved)).As<GatewayTokenResponse>().GatewayToken.ShouldNotBeNullOrEmpty();
        }

        // CardDataLeaks scans these texts for every PAN and token number; here: they are really there to scan.
        var texts = fixture.Telemetry.Texts.ToList();
        texts.ShouldContain(text => text.StartsWith("span Microsoft.AspNetCore:", StringComparison.Ordinal));
        texts.ShouldContain(text => text.Contains("http.route=/v1/gateway-tokens", StringComparison.Ordinal));
        texts.ShouldContain(text => text.StartsWith("span System.Net.Http:", StringComparison.Ordinal));
        texts.ShouldContain(text => text.StartsWith("span Npgsql:", StringComparison.Ordinal));
        texts.ShouldContain(text => text.StartsWith("metric http.server.request.duration http.response.status_code=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_on_the_merchant_listener_are_not_served_whatever_the_host_header()
    {
        using var client = new HttpClient { BaseAddress = fixture.GatewayAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Host = "127.0.0.1:9464"; // the default scrape port: only the local port counts

        using var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Metrics_port_serves_prometheus_text_with_the_http_server_histogram_and_the_merchant_port_does_not()
    {
        await using var database = await TestDatabase.CreateAsync();
        var (merchantPort, metricsPort) = (GatewayFixture.FreePort(), GatewayFixture.FreePort());
        var runId = fixture.RunId + "-otel";
        var settings = fixture.Settings();
        settings["ConnectionStrings:Postgres"] = database.ConnectionString;
        settings["Messaging:QueuePrefix"] = runId;
        settings["Redis:KeyPrefix"] = runId + ":";
        settings["Mdes:RedisKeyPrefix"] = runId + ":";
        settings["Telemetry:PrometheusPort"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Telemetry:PrometheusPath"] = "/scrape";
        await using var gateway = new GatewayFactory(settings, fixture.Logs);
        gateway.UseKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, merchantPort);
            options.Listen(IPAddress.Loopback, metricsPort);
        });
        gateway.StartServer();
        using var merchant = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{merchantPort}/") };
        using var metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}/") };
        (await merchant.GetAsync("/v1/gateway-tokens")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var scrape = await metrics.GetAsync("/scrape");
        using var onMerchantPort = await merchant.GetAsync("/scrape");

        scrape.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await scrape.Content.ReadAsStringAsync();
        text.ShouldContain("http_server_request_duration_seconds_bucket");
        text.ShouldContain("http_response_status_code=\"401\"");
        onMerchantPort.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
