using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Simulator.Support;

public sealed record ReceivedNtu(DateTimeOffset At, string TokenUniqueReference, JsonObject Token, int AnsweredWith, JsonObject Envelope);

/// <summary>
/// A token requestor's NTU endpoint on loopback: decrypts what MDES sends and answers per a per-TUR script
/// (e.g. 500, 503 with Retry-After, then 200) so the retry schedule can be observed.
/// </summary>
public sealed class NtuReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RSA _key;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, string? RetryAfter)>> _scripts = new();

    private NtuReceiver(WebApplication app, RSA key)
    {
        _app = app;
        _key = key;
    }

    public ConcurrentQueue<ReceivedNtu> Received { get; } = new();

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<NtuReceiver> StartAsync(RSA decryptionKey)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new NtuReceiver(app, decryptionKey);
        app.MapPost("/tr/digitization/static/1/0/notifyTokenUpdated", (Delegate)receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseUrl = new Uri(address + "/tr");
        return receiver;
    }

    /// <summary>The next NTUs for this TUR get these answers, in order; afterwards 200.</summary>
    public void Script(string tokenUniqueReference, params (int Status, string? RetryAfter)[] answers) =>
        _scripts[tokenUniqueReference] = new ConcurrentQueue<(int, string?)>(answers);

    public IReadOnlyList<ReceivedNtu> For(string tokenUniqueReference) =>
        [.. Received.Where(n => n.TokenUniqueReference == tokenUniqueReference)];

    public async Task<ReceivedNtu> WaitAsync(string tokenUniqueReference, Func<ReceivedNtu, bool> predicate, TimeSpan? timeout = null)
    {
        return (await Eventually.ReachesAsync(
            () => Task.FromResult(For(tokenUniqueReference).FirstOrDefault(n => n.AnsweredWith == 200 && predicate(n))),
            hit => hit is not null, timeout ?? TimeSpan.FromSeconds(10), _ => $"No matching NTU for {tokenUniqueReference}",
            TimeSpan.FromMilliseconds(25)))!;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var envelope = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var clear = TestFle.Decrypt(envelope["encryptedPayload"]!.AsObject(), _key);
        var token = clear["tokens"]![0]!.AsObject();
        var tur = (string)token["tokenUniqueReference"]!;
        var answer = (Status: 200, RetryAfter: (string?)null);
        if (_scripts.TryGetValue(tur, out var script) && script.TryDequeue(out var scripted))
        {
            answer = scripted;
        }

        Received.Enqueue(new ReceivedNtu(DateTimeOffset.UtcNow, tur, token, answer.Status, envelope));
        if (answer.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = answer.RetryAfter;
        }

        return answer.Status == 200
            ? Results.Json(new JsonObject { ["responseHost"] = "tr.example.test", ["responseId"] = (string?)envelope["requestId"] })
            : Results.StatusCode(answer.Status);
    }
}
