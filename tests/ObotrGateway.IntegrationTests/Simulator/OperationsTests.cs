using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.IntegrationTests.Simulator.Support;

namespace ObotrGateway.IntegrationTests.Simulator;

[Collection(SimulatorCollectionDefinition.Name)]
public sealed class OperationsTests(SimulatorFixture fixture)
{
    private readonly SimulatorHost _sim = fixture.Host;

    private static JsonObject TaskStatusBody() => new() { ["requestId"] = "r", ["tokenRequestorId"] = TestMdesClient.Trid, ["taskId"] = "none" };

    [Fact]
    public async Task RequestLog_recordsOperationTridAndTursButNeverPanOrTokenNumber()
    {
        const string Pan = "5204730000100185";
        var tur = await _sim.Mdes.ActiveTokenAsync(Pan);
        var number = (string)_sim.Mdes.Decrypt((await _sim.Mdes.TransactAsync(tur)).Body["encryptedPayload"]!)["accountNumber"]!;

        var log = await _sim.GetJsonAsync("/simulator/requests?operation=tokenize");

        var entry = log["requests"]!.AsArray().Last(e => e!["tokenUniqueReferences"]!.AsArray().Any(t => (string?)t == tur))!;
        ((string)entry["operation"]!).ShouldBe("tokenize");
        ((string)entry["tokenRequestorId"]!).ShouldBe(TestMdesClient.Trid);
        ((string)entry["result"]!).ShouldBe("OK");
        var all = (await _sim.GetJsonAsync("/simulator/requests")).ToJsonString();
        all.ShouldNotContain(Pan);
        all.ShouldNotContain(number);
        log["requests"]!.AsArray().ShouldAllBe(e => (string?)e!["operation"] == "tokenize");
    }

    [Fact]
    public async Task Faults_errorRateOne_failsThatOperationWithInternalServiceFailure()
    {
        await _sim.WithFaultsAsync(new { operations = new Dictionary<string, object> { ["getTaskStatus"] = new { latencyMs = 0, errorRate = 1.0 } } }, async () =>
        {
            var response = await _sim.Mdes.PostAsync(Paths.GetTaskStatus, TaskStatusBody());
            response.Status.ShouldBe(HttpStatusCode.InternalServerError);
            response.ReasonCode.ShouldBe("INTERNAL_SERVICE_FAILURE");
            (await _sim.Mdes.GetTokenAsync("DWSPMC1")).ReasonCode.ShouldBe("INVALID_TOKEN_UNIQUE_REFERENCE");
        });
    }

    [Fact]
    public async Task Faults_latency_delaysResponses()
    {
        await _sim.WithFaultsAsync(new { operations = new Dictionary<string, object> { ["*"] = new { latencyMs = 250, errorRate = 0.0 } } }, async () =>
        {
            var started = Stopwatch.StartNew();
            await _sim.Mdes.PostAsync(Paths.GetTaskStatus, TaskStatusBody());
            started.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(240));
        });
    }

    [Fact]
    public async Task Faults_tpsLimit_answers429AboveIt()
    {
        await _sim.WithFaultsAsync(new { tpsLimit = 3 }, async () =>
        {
            var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _sim.Mdes.PostAsync(Paths.GetTaskStatus, TaskStatusBody())));
            statuses.Count(s => s.Status == HttpStatusCode.TooManyRequests).ShouldBeGreaterThanOrEqualTo(5);
        });
    }

    [Fact]
    public async Task Faults_tpsLimitOfOneTrid_isCountedAtArrivalAndTheExcessLoggedAsThrottled()
    {
        await _sim.WithFaultsAsync(new { tpsLimits = new Dictionary<string, int> { [TestMdesClient.Trid] = 2 } }, async () =>
        {
            var sent = DateTimeOffset.UtcNow;
            var statuses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _sim.Mdes.PostAsync(Paths.GetTaskStatus, TaskStatusBody())));

            var throttled = statuses.Where(s => s.Status == HttpStatusCode.TooManyRequests).ToList();
            throttled.Count.ShouldBeGreaterThanOrEqualTo(4);
            throttled.ShouldAllBe(s => s.ReasonCode == "RATE_LIMIT_EXCEEDED");
            var log = (await _sim.GetJsonAsync("/simulator/requests?operation=getTaskStatus"))["requests"]!.AsArray()
                .Where(e => e!["arrivedAt"]!.GetValue<DateTimeOffset>() >= sent && (string?)e["tokenRequestorId"] == TestMdesClient.Trid).ToList();
            log.Count.ShouldBe(6);
            log.Count(e => (string?)e!["result"] == "RATE_LIMIT_EXCEEDED").ShouldBe(throttled.Count);
            log.ShouldAllBe(e => e!["arrivedAt"]!.GetValue<DateTimeOffset>() <= e["timestamp"]!.GetValue<DateTimeOffset>());
        });
    }

    [Fact]
    public async Task Faults_inboundLatencyAndJitter_delayTheArrivalByARandomAmountInTheRange()
    {
        await _sim.WithFaultsAsync(new { operations = new Dictionary<string, object> { ["getTaskStatus"] = new { latencyMs = 0, errorRate = 0.0, inboundLatencyMs = 100, inboundJitterMs = 300 } } }, async () =>
        {
            var lags = new List<TimeSpan>();
            for (var i = 0; i < 6; i++)
            {
                var sent = DateTimeOffset.UtcNow;
                await _sim.Mdes.PostAsync(Paths.GetTaskStatus, TaskStatusBody());
                var entry = (await _sim.GetJsonAsync("/simulator/requests?operation=getTaskStatus&limit=1"))["requests"]![0]!;
                lags.Add(entry["arrivedAt"]!.GetValue<DateTimeOffset>() - sent);
            }

            // Every arrival at least the fixed 100 ms late, and the random part really varies (six draws from 0..300 ms
            // all within 20 ms of each other has a chance of about 1e-4).
            lags.ShouldAllBe(lag => lag >= TimeSpan.FromMilliseconds(99));
            (lags.Max() - lags.Min()).ShouldBeGreaterThan(TimeSpan.FromMilliseconds(20));
        });
    }

    [Fact]
    public async Task Faults_dropNotifications_recordsDroppedDelivery()
    {
        await _sim.WithFaultsAsync(new { dropNotifications = true }, async () =>
        {
            var tur = (string)(await _sim.Mdes.TokenizeAsync("5204730000100193")).Body["tokenUniqueReference"]!;
            await Task.Delay(900);
            var list = (await _sim.GetJsonAsync("/simulator/notifications?tokenUniqueReference=" + tur))["notifications"]!.AsArray();
            ((string)list.Single()!["state"]!).ShouldBe("DROPPED_BY_FAULT");
            _sim.Ntu.For(tur).ShouldBeEmpty();
        });
    }

    [Fact]
    public async Task Faults_unknownOperation_isRejected()
    {
        var (status, _) = await _sim.ConsoleAsync("/simulator/faults", new { operations = new Dictionary<string, object> { ["nope"] = new { latencyMs = 1, errorRate = 0.0 } } });

        status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("obotr-credit")]
    [InlineData("obotr-cobrand")]
    [InlineData("obotr-debit")]
    public async Task Assets_ofEveryProduct_areRealImagesOrPdf(string product)
    {
        var config = ObotrGateway.MdesSimulator.Assets.ProductCatalog.All[product].ToJson();
        var ids = config.Where(p => p.Key.EndsWith("AssetId", StringComparison.Ordinal)).Select(p => (string)p.Value!).ToList();
        ids.Count.ShouldBeGreaterThanOrEqualTo(4);

        foreach (var id in ids)
        {
            var response = await _sim.Mdes.SendRawAsync(HttpMethod.Get, Paths.Asset + id, []);
            response.Status.ShouldBe(HttpStatusCode.OK);
            var media = response.Body["mediaContents"]![0]!;
            var data = Convert.FromBase64String((string)media["data"]!);
            if ((string)media["type"]! == "application/pdf")
            {
                System.Text.Encoding.ASCII.GetString(data, 0, 5).ShouldBe("%PDF-");
            }
            else
            {
                data[..8].ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
                var width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(16));
                width.ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe((string)media["width"]!);
            }
        }

        if (product == "obotr-cobrand")
        {
            config["cardBackgroundCombinedAssetId"].ShouldBeNull();
            config["cardBackgroundAssetId"].ShouldNotBeNull();
            config["coBrandLogoAssetId"].ShouldNotBeNull();
        }
    }

    [Fact]
    public async Task Asset_unknownId_isNotFound()
    {
        var response = await _sim.Mdes.SendRawAsync(HttpMethod.Get, Paths.Asset + "no-such-asset", []);

        response.Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task HealthAndOpenApi_areServed()
    {
        (await _sim.Http.GetStringAsync("/health/live")).ShouldBe("Healthy");
        (await _sim.Http.GetStringAsync("/health/ready")).ShouldBe("Healthy");
        var openApi = await _sim.Http.GetStringAsync("/openapi/v1.json");
        openApi.ShouldContain("52047300004");
        openApi.ShouldContain("/issuer/tokens/suspend");
        openApi.ShouldContain("/acquirer/authorizations");
    }
}

/// <summary>Hosts of their own: different settings from the shared simulator.</summary>
public sealed class SimulatorHostingTests
{
    [Fact]
    public async Task IssuerConsole_aboveFiveCallsPerSecond_answers429()
    {
        await using var sim = await SimulatorHost.StartAsync(new Dictionary<string, string?> { ["Simulator:IssuerConsoleTpsLimit"] = "5" });

        var results = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            results.Add((await sim.ConsoleAsync("/issuer/tokens/search", new { pan = "5204730000100003" })).Status);
        }

        results.Count(s => s == HttpStatusCode.OK).ShouldBe(5);
        results.Count(s => s == HttpStatusCode.TooManyRequests).ShouldBe(3);
    }

    [Fact]
    public async Task Ntu_toClosedPort_isRetriedAsConnectionFailureThenFails()
    {
        await using var sim = await SimulatorHost.StartAsync(new Dictionary<string, string?>
        {
            ["Simulator:TokenRequestors:1:NotificationBaseUrl"] = "http://127.0.0.1:1/tr",
        });
        var tur = (string)(await sim.OtherRequestor.TokenizeAsync("5204730000100003", trid: SimulatorHost.RestrictedTrid)).Body["tokenUniqueReference"]!;

        var delivery = await Eventually.LastAsync(
            async () => (await sim.GetJsonAsync("/simulator/notifications?tokenUniqueReference=" + tur))["notifications"]!.AsArray().FirstOrDefault()?.AsObject(),
            last => (string?)last?["state"] == "FAILED", TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(50));

        ((string)delivery!["state"]!).ShouldBe("FAILED");
        delivery["attempts"]!.AsArray().Select(a => (string)a!["outcome"]!).ShouldAllBe(o => o == "CONNECTION_FAILED");
        delivery["attempts"]!.AsArray().Count.ShouldBe(7);
    }

    [Fact]
    public async Task Boot_withMissingSetting_failsNamingTheSetting()
    {
        var ex = await Should.ThrowAsync<Exception>(() => SimulatorHost.StartAsync(new Dictionary<string, string?>
        {
            ["Simulator:DecryptionKeyPath"] = "",
            ["Simulator:TokenRequestors:0:NotificationBaseUrl"] = "not a url",
        }));

        var message = ex.ToString();
        message.ShouldContain("Simulator:DecryptionKeyPath");
        message.ShouldContain("Simulator:TokenRequestors:0:NotificationBaseUrl");
    }

    [Fact]
    public async Task Responses_withSha256AndPublicKeyFingerprint_areEncryptedThatWay()
    {
        await using var sim = await SimulatorHost.StartAsync(new Dictionary<string, string?>
        {
            ["Simulator:OaepHashingAlgorithm"] = "SHA256",
            ["Simulator:FingerprintType"] = "PublicKey",
        });

        var response = await sim.Mdes.TokenizeAsync("5204730000100003");

        var detail = response.Body["tokenDetail"]!;
        ((string)detail["oaepHashingAlgorithm"]!).ShouldBe("SHA256");
        using var certificate = ObotrGateway.MdesSimulator.Security.PemFiles.LoadCertificate(Path.Combine(sim.KeyDirectory, "tr-encryption.crt"));
        ((string)detail["publicKeyFingerprint"]!).ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo())));
        sim.Mdes.Decrypt(detail)["paymentAccountReference"].ShouldNotBeNull();
    }
}
