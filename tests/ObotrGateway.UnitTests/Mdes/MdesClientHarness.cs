using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.Encryption;
using ObotrGateway.Api.Mdes.OAuth;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Api.Mdes.Resilience;

namespace ObotrGateway.UnitTests.Mdes;

internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, byte[] Body, string? Authorization)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
}

/// <summary>Stands in for MDES at the bottom of the real handler chain (resilience → signing → this).</summary>
internal sealed class FakeMdesHandler : HttpMessageHandler
{
    private readonly Func<RecordedRequest, int, CancellationToken, Task<HttpResponseMessage>> _respond;

    public FakeMdesHandler(Func<RecordedRequest, int, CancellationToken, Task<HttpResponseMessage>> respond) => _respond = respond;

    public List<RecordedRequest> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var authorization = request.Headers.TryGetValues("Authorization", out var values) ? values.Single() : null;
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, body, authorization);
        lock (Requests)
        {
            Requests.Add(recorded);
        }

        return await _respond(recorded, Requests.Count, cancellationToken);
    }
}

internal sealed class FakeTpsStore : IMdesTpsStore
{
    public Func<int, TpsSlot> Next { get; set; } = _ => new TpsSlot(true, TimeSpan.Zero);

    public int Calls { get; private set; }

    public List<TpsClaim> Claims { get; } = [];

    public List<string> Released { get; } = [];

    public Exception? Throw { get; set; }

    /// <summary>How long each answer takes, as a slow Redis or a stalled thread between grant and send would.</summary>
    public TimeSpan Delay { get; set; }

    public async Task<TpsSlot> TryAcquireAsync(TpsClaim claim, CancellationToken cancellationToken)
    {
        Calls++;
        lock (Claims)
        {
            Claims.Add(claim);
        }

        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken);
        }

        return Throw is not null ? throw Throw : Next(Calls);
    }

    public Task ReleaseAsync(string key, string slotId, TimeSpan window)
    {
        lock (Released)
        {
            Released.Add(slotId);
        }

        return Task.CompletedTask;
    }
}

internal sealed class MdesClientHarness
{
    public const string Trid = "50123456789";

    public MdesClientHarness(Func<RecordedRequest, int, CancellationToken, Task<HttpResponseMessage>> respond, Action<MdesOptions>? configure = null)
    {
        Options = new MdesOptions
        {
            BaseUrl = "http://127.0.0.1:5081/mdes",
            ConsumerKey = "consumer-key!test",
            ResponseHost = "psp.example.net",
            // Generous so a loaded CI machine never turns a normal test into a timeout; timeout tests shorten it.
            AttemptTimeout = TimeSpan.FromSeconds(3),
            TotalTimeout = TimeSpan.FromSeconds(10),
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            MaxRetries = 2,
            MaxRetryAfter = TimeSpan.FromSeconds(2),
        };
        configure?.Invoke(Options);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        var crypto = new MdesPayloadCrypto(new FieldLevelEncryption(MdesTestKeys.GatewayRing()));
        var signer = new OAuthSigner(Options.ConsumerKey, MdesTestKeys.SigningKey, TimeProvider.System, new RandomOAuthNonceSource());
        Mdes = new FakeMdesHandler(respond);
        Limiter = new MdesTpsLimiter(Store, options, TimeProvider.System, NullLogger<MdesTpsLimiter>.Instance);
        var chain = new MdesResilienceHandler(new MdesResiliencePipelines(options, TimeProvider.System), Limiter, NullLogger<MdesResilienceHandler>.Instance)
        {
            InnerHandler = new OAuthSigningHandler(signer) { InnerHandler = Mdes },
        };
        Client = new MdesWireClient(new HttpClient(chain) { Timeout = Timeout.InfiniteTimeSpan }, crypto, options, TimeProvider.System, NullLogger<MdesWireClient>.Instance);
    }

    public MdesOptions Options { get; }

    public FakeMdesHandler Mdes { get; }

    public FakeTpsStore Store { get; } = new();

    public MdesTpsLimiter Limiter { get; }

    public MdesWireClient Client { get; }

    public static MdesCallContext Call { get; } = new(Trid);

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>A response as MDES sends it: <paramref name="inPath"/>'s clear value encrypted to our certificate.</summary>
    public static HttpResponseMessage Encrypted(string clearJson, string inPath, string outPath)
    {
        var body = JsonNode.Parse(clearJson)!.AsObject();
        new FieldLevelEncryption(MdesTestKeys.MdesRing()).EncryptPath(body, inPath, outPath);
        return Json(body.ToJsonString());
    }

    public static Task<HttpResponseMessage> Respond(HttpResponseMessage response) => Task.FromResult(response);
}
