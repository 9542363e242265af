using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ObotrGateway.Api.Throttling;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Throttling;

/// <summary>
/// Two gateway replicas on real Kestrel sockets (so the client address is real) sharing their own Redis prefix,
/// with small limits. Windows are long (a minute) where a test counts, so no request of a slow machine can
/// fall into the next window; the one test about a window's end uses the limiter's own short window.
/// </summary>
[Collection(GatewayTestGroup.Name)]
public sealed class ThrottlingTests(GatewayFixture fixture) : IAsyncLifetime
{
    private const int FailedLimit = 3;
    private const int MerchantLimit = 5;
    private readonly string _queuePrefix = fixture.RunId + "-thr-" + Guid.NewGuid().ToString("N")[..6];
    private readonly List<(GatewayFactory Factory, Uri Address)> _replicas = [];

    public Task InitializeAsync()
    {
        var redisPrefix = _queuePrefix + ":";
        for (var i = 0; i < 2; i++)
        {
            var settings = fixture.Settings();
            settings["Messaging:QueuePrefix"] = _queuePrefix; // both replicas: one deployment
            settings["Redis:KeyPrefix"] = redisPrefix;
            settings["Throttling:FailedAuthenticationLimit"] = FailedLimit.ToString();
            settings["Throttling:FailedAuthenticationWindow"] = "00:01:00";
            settings["Throttling:MerchantRequestLimit"] = MerchantLimit.ToString();
            settings["Throttling:MerchantRequestWindow"] = "00:01:00";
            var factory = new GatewayFactory(settings, fixture.Logs);
            var port = FreePort();
            factory.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
            factory.StartServer();
            _replicas.Add((factory, new Uri($"http://127.0.0.1:{port}/")));
        }

        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private HttpClient Client(int replica, string key)
    {
        var client = new HttpClient { BaseAddress = _replicas[replica].Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static long RetryAfterSeconds(HttpResponseMessage response) =>
        (long)response.Headers.RetryAfter.ShouldNotBeNull().Delta.ShouldNotBeNull().TotalSeconds;

    [Fact]
    public async Task Failed_authentication_past_the_limit_on_any_replica_answers_429_and_valid_keys_still_work()
    {
        var (merchant, _) = await fixture.NewMerchantAsync();
        using var wrongOnA = Client(0, "ok_live_" + new string('x', 40));
        using var wrongAdminOnB = Client(1, "not-the-admin-key-0123456789");
        using var merchantOnB = Client(1, merchant.ApiKey);
        using var adminOnA = Client(0, GatewayFixture.AdminKey);

        // The limit is shared: failures on A and on B add up, merchant and admin keys alike.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < FailedLimit; i++)
        {
            var client = i % 2 == 0 ? wrongOnA : wrongAdminOnB;
            statuses.Add((await client.GetAsync(i % 2 == 0 ? "/v1/merchant" : "/v1/admin/merchants")).StatusCode);
        }

        var throttledOnB = await wrongAdminOnB.GetAsync("/v1/admin/merchants");
        var throttledOnA = await wrongOnA.GetAsync("/v1/merchant");
        var validMerchant = await merchantOnB.GetAsync("/v1/merchant");
        var validAdmin = await adminOnA.GetAsync("/v1/admin/merchants?limit=1");
        using var anonymous = new HttpClient { BaseAddress = _replicas[0].Address };
        var noKey = await anonymous.GetAsync("/v1/merchant");

        statuses.ShouldAllBe(status => status == HttpStatusCode.Unauthorized);
        foreach (var throttled in new[] { throttledOnB, throttledOnA })
        {
            throttled.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
            (await ProblemAsync(throttled)).Code().ShouldBe("too_many_failed_authentications");
            RetryAfterSeconds(throttled).ShouldBeInRange(1, 60);
        }

        validMerchant.StatusCode.ShouldBe(HttpStatusCode.OK);
        validAdmin.StatusCode.ShouldBe(HttpStatusCode.OK);
        noKey.StatusCode.ShouldBe(HttpStatusCode.Unauthorized); // no key presented: not a guess, not counted
    }

    [Fact]
    public async Task Merchant_requests_past_the_limit_over_both_replicas_answer_429_for_that_merchant_only()
    {
        var (busy, _) = await fixture.NewMerchantAsync();
        var (other, _) = await fixture.NewMerchantAsync();
        using var busyOnA = Client(0, busy.ApiKey);
        using var busyOnB = Client(1, busy.ApiKey);
        using var otherOnA = Client(0, other.ApiKey);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < MerchantLimit; i++)
        {
            statuses.Add((await (i % 2 == 0 ? busyOnA : busyOnB).GetAsync("/v1/merchant")).StatusCode);
        }

        // A throttled write must not claim its Idempotency-Key: the same key works once the window has passed.
        using var write = new HttpRequestMessage(HttpMethod.Post, "/v1/gateway-tokens") { Content = JsonContent.Create(new { card = TestCards.Card(TestCards.Approved) }) };
        write.Headers.Add("Idempotency-Key", "throttled-write");
        var throttledWrite = await busyOnB.SendAsync(write);
        var throttledRead = await busyOnA.GetAsync("/v1/merchant");
        var otherMerchant = await otherOnA.GetAsync("/v1/merchant");

        statuses.ShouldAllBe(status => status == HttpStatusCode.OK);
        foreach (var throttled in new[] { throttledWrite, throttledRead })
        {
            throttled.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
            (await ProblemAsync(throttled)).Code().ShouldBe("rate_limited");
            RetryAfterSeconds(throttled).ShouldBeInRange(1, 60);
        }

        otherMerchant.StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var db = Npgsql.NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        await using var records = db.CreateCommand("SELECT count(*) FROM idempotency_records WHERE merchant_id = $1");
        records.Parameters.Add(new Npgsql.NpgsqlParameter { Value = busy.MerchantId });
        ((long)(await records.ExecuteScalarAsync())!).ShouldBe(0);
    }

    [Fact]
    public async Task Window_counts_every_event_and_starts_over_when_the_limiters_own_window_ends()
    {
        var counter = _replicas[0].Factory.Services.GetRequiredService<RedisWindowCounter>();
        var name = "test:" + Guid.NewGuid().ToString("N");
        var window = TimeSpan.FromMilliseconds(800);

        var first = await counter.IncrementAsync(name, window);
        var second = await counter.IncrementAsync(name, window);
        var onOtherReplica = await _replicas[1].Factory.Services.GetRequiredService<RedisWindowCounter>().IncrementAsync(name, window);
        // Wait what the limiter says is left of its window (Redis expires the key at that instant; PTTL is whole
        // milliseconds, so a few more cover its rounding and the timer's granularity).
        await Task.Delay(onOtherReplica.ResetsIn + TimeSpan.FromMilliseconds(5));
        var afterWindow = await counter.IncrementAsync(name, window);

        (first.Count, second.Count, onOtherReplica.Count).ShouldBe((1, 2, 3));
        first.ResetsIn.ShouldBeInRange(TimeSpan.Zero, window);
        onOtherReplica.ResetsIn.ShouldBeLessThanOrEqualTo(first.ResetsIn);
        afterWindow.Count.ShouldBe(1);
    }

    public async Task DisposeAsync()
    {
        foreach (var (factory, _) in _replicas)
        {
            await factory.DisposeAsync();
        }

        await RabbitMqControl.DeleteQueuesAsync(_queuePrefix);
    }
}
