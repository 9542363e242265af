using Microsoft.Extensions.Options;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Hosting;

/// <summary>The real Program.cs outside Development ("Testing", like Production): http upstreams stop boot, by name.</summary>
[Collection(GatewayTestGroup.Name)]
public sealed class UpstreamTransportTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Boot_outside_development_with_http_mdes_and_acquirer_fails_naming_both_settings()
    {
        var settings = fixture.Settings();
        settings["Mdes:AllowHttp"] = "false";
        settings["Acquirer:AllowHttp"] = "false";
        await using var factory = new GatewayFactory(settings, fixture.Logs);

        // Both sections fail at once, so boot reports both (an AggregateException of the two validations).
        var failure = Should.Throw<AggregateException>(factory.StartServer);

        var messages = failure.InnerExceptions.OfType<OptionsValidationException>().Select(exception => exception.Message).ToList();
        messages.ShouldContain(message => message.Contains("Mdes:BaseUrl must be an https URL outside Development"));
        messages.ShouldContain(message => message.Contains("Acquirer:BaseUrl must be an https URL outside Development"));
    }
}
