using System.Net.Http.Headers;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.BulkTokenization;

/// <summary>
/// A second, in-process gateway replica on the fixture's database, Redis and simulator, with its own worker queue
/// and setting overrides (e.g. a wider TPS window margin): jobs uploaded through it are worked by it alone.
/// </summary>
internal sealed class BulkGateway : IAsyncDisposable
{
    private readonly GatewayFactory _factory;

    private BulkGateway(GatewayFactory factory) => _factory = factory;

    public static BulkGateway Start(GatewayFixture fixture, IReadOnlyDictionary<string, string?> overrides)
    {
        var settings = fixture.Settings();
        settings["Messaging:QueuePrefix"] = fixture.RunId + "-bulk-" + Guid.NewGuid().ToString("N")[..6];
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var factory = new GatewayFactory(settings, fixture.Logs);
        factory.StartServer();
        return new BulkGateway(factory);
    }

    public IServiceProvider Services => _factory.Services;

    public HttpClient MerchantClient(string apiKey)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();
}
