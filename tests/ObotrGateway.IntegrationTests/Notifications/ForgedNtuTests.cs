using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.IntegrationTests.Webhooks;
using Xunit.Abstractions;

namespace ObotrGateway.IntegrationTests.Notifications;

/// <summary>
/// NTUs as an attacker would write them, against the gateway booted as "Production": with mutual TLS (HTTPS listener with
/// RequireCertificate and a pinned certificate, plus a plain listener as a TLS-terminating proxy would use) and without it
/// (boot refuses unless the explicit opt-out is set). Each attempt's outcome is asserted, and nothing forged is applied.
/// </summary>
[Collection(NotificationsTestGroup.Name)]
public sealed class ForgedNtuTests(GatewayFixture fixture, ITestOutputHelper output)
{
    private const string OtherTrid = "59999999999";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private static readonly DateTimeOffset Year2099 = new(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private Task<long> InboxRowsAsync(string tur) => fixture.ScalarAsync("SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = $1", tur);

    [Fact]
    public void Production_gateway_without_mutual_tls_or_the_opt_out_refuses_to_start_naming_the_setting()
    {
        var settings = fixture.Settings();
        settings.Remove("Notifications:AllowUnauthenticatedCallbacks");
        using var factory = new GatewayFactory(settings, new CapturedLogs(), "Production");

        var failure = Should.Throw<OptionsValidationException>(() => factory.Server);

        failure.Message.ShouldContain("Notifications:RequireClientCertificate");
        failure.Message.ShouldContain("Notifications:AllowUnauthenticatedCallbacks");
    }

    [Fact]
    public async Task Production_gateway_with_the_opt_out_starts_with_a_warning_and_then_accepts_a_public_certificate_ntu()
    {
        var logs = new CapturedLogs();
        var port = FreePort();
        await using var factory = new GatewayFactory(fixture.Settings(), logs, "Production");
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        factory.StartServer();

        logs.Lines.ShouldContain(line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("MDES callbacks are NOT authenticated"));
        // The risk the operator accepted: encryption to the public certificate is all it takes (the TUR is nobody's here).
        using var sender = new NtuSender(fixture);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var tur = NtuSender.NewTur();
        (await http.PostAsJsonAsync(NtuSender.Route, sender.Body("optout-" + tur[^8..], NtuSender.Update(tur, OtherTrid, "SUSPENDED", DateTimeOffset.UtcNow))))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await InboxRowsAsync(tur)).ShouldBe(1);
    }

    [Fact]
    public async Task Production_callback_with_mutual_tls_refuses_forged_and_hostile_ntus_at_tls_filter_or_parser_and_stores_nothing()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        client.Dispose();
        await using var gateway = await MutualTlsGateway.StartAsync(fixture);
        using var sender = new NtuSender(fixture);
        var tur = NtuSender.NewTur();
        await sender.InsertTokenAsync(merchant.MerchantId, merchant.TokenRequestorId, tur, DateTimeOffset.UtcNow.AddMinutes(-1));
        var forged = sender.Body("forged-" + tur[^8..], NtuSender.Update(tur, merchant.TokenRequestorId, "DEACTIVATED", DateTimeOffset.UtcNow));

        // 1. Encrypted to the gateway's public certificate, but no client certificate: the handshake itself fails.
        using (var anonymous = gateway.Https(null))
        {
            (await RefusedAsync(anonymous, forged)).ShouldBeTrue("a request without a client certificate must not get through TLS");
        }

        // 2. A client certificate that is not pinned: refused by the pin during the handshake.
        using (var stranger = MutualTlsGateway.SelfSigned("CN=mdes.test", ClientAuth))
        using (var strangerClient = gateway.Https(stranger))
        {
            (await RefusedAsync(strangerClient, forged)).ShouldBeTrue("a certificate that is not pinned must not get through TLS");
        }

        // 3. The plain listener (behind a TLS-terminating proxy the certificate cannot reach the gateway): the filter says 401.
        using (var plain = gateway.Http())
        {
            var response = await plain.PostAsJsonAsync(NtuSender.Route, forged);
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await response.Content.ReadFromJsonAsync<JsonElement>()).Code().ShouldBe("ntu_client_certificate_required");
        }

        // 4. Even from the pinned sender, a clear payload is not MDES's word: encryption is mandatory.
        using var pinned = gateway.Https(gateway.Mdes);
        var clearToken = NtuSender.Update(tur, merchant.TokenRequestorId, "DEACTIVATED", DateTimeOffset.UtcNow);
        var plaintext = new JsonObject
        {
            ["requestId"] = "plain-" + tur[^8..],
            ["encryptedPayload"] = new JsonObject { ["encryptedData"] = new JsonObject { ["tokens"] = new JsonArray(clearToken) } },
        };
        var notEncrypted = await pinned.PostAsJsonAsync(NtuSender.Route, plaintext);
        notEncrypted.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await notEncrypted.Content.ReadFromJsonAsync<JsonElement>()).Code().ShouldBe("ntu_not_encrypted");
        var keyAsNumber = sender.Body("keynum-" + tur[^8..], clearToken);
        keyAsNumber["encryptedPayload"]!["encryptedKey"] = 42;
        var missingKey = await pinned.PostAsJsonAsync(NtuSender.Route, keyAsNumber);
        (await missingKey.Content.ReadFromJsonAsync<JsonElement>()).Code().ShouldBe("ntu_not_encrypted");

        // 5. Hostile JSON, outside and inside the encryption: 400 problem+json with a code, never 5xx.
        var valid = sender.Body("hostile-" + tur[^8..], clearToken).ToJsonString();
        var hostile = new[]
        {
            valid.Replace("{\"responseHost\"", "{\"requestId\":\"dup\",\"responseHost\"", StringComparison.Ordinal),
            valid.Replace("site1.mastercard.test", "\\ud800", StringComparison.Ordinal),
            valid.Replace("site1.mastercard.test", "a\\u0000b", StringComparison.Ordinal),
            sender.Body("nulltok-" + tur[^8..], clearToken).ToJsonString().Replace("\"requestId\":", "\"requestId\":null,\"x\":", StringComparison.Ordinal),
            EncryptedTokens(sender, "[null]"),
            EncryptedTokens(sender, "[{\"tokenUniqueReference\":42}]"),
            EncryptedTokens(sender, "{\"a\":1}"),
            EncryptedTokens(sender, "[{\"tokenUniqueReference\":\"" + tur + "\",\"status\":\"ACTIVE\",\"status\":\"DEACTIVATED\"}]"),
        };
        foreach (var body in hostile)
        {
            var response = await pinned.PostAsync(NtuSender.Route, new StringContent(body, Encoding.UTF8, "application/json"));
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body.Length > 120 ? body[..120] : body);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            (await response.Content.ReadFromJsonAsync<JsonElement>()).Code().ShouldBeOneOf("ntu_invalid", "ntu_undecryptable");
        }

        (await InboxRowsAsync(tur)).ShouldBe(0);
        (await fixture.ScalarAsync("SELECT count(*) FROM gateway_tokens WHERE token_unique_reference = $1 AND status = 'ACTIVE'", tur)).ShouldBe(1);
    }

    [Fact]
    public async Task Future_dated_suspension_counts_as_of_receipt_and_refresh_resync_and_unsuspend_restore_mdes_state()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            await using var gateway = await MutualTlsGateway.StartAsync(fixture);
            using var sender = new NtuSender(fixture);
            using var pinned = gateway.Https(gateway.Mdes);
            var refreshed = await fixture.AddSettledActiveCardAsync(client, fixture.FreshApprovedPan());
            var resynced = await fixture.AddSettledActiveCardAsync(client, fixture.FreshApprovedPan());
            var unsuspended = await fixture.AddSettledActiveCardAsync(client, fixture.FreshApprovedPan());

            // A suspension "dated" 2099, from the pinned sender (the strongest forger: one who also holds the pinned key).
            foreach (var (token, tur, _) in new[] { refreshed, resynced, unsuspended })
            {
                var body = sender.Body("future-" + tur[^10..], NtuSender.Update(tur, merchant.TokenRequestorId, "SUSPENDED", Year2099));
                (await pinned.PostAsJsonAsync(NtuSender.Route, body)).StatusCode.ShouldBe(HttpStatusCode.OK);
                var suspended = await fixture.WaitForTokenAsync(token, row => row.Status == "SUSPENDED");
                suspended.StatusTimestamp!.Value.ShouldBeLessThan(DateTimeOffset.UtcNow.AddMinutes(1), "a future statusTimestamp counts as of its receipt");
            }

            // Merchant refresh: GetToken says ACTIVE, and wins.
            var refresh = await client.GetFromJsonAsync<JsonElement>($"/v1/gateway-tokens/{refreshed.Token}?refresh=true");
            refresh.GetProperty("status").GetString().ShouldBe("ACTIVE");

            // Admin resync (not confirmed for an hour, as the existing resync test drifts it).
            await fixture.ScalarAsync("UPDATE gateway_tokens SET updated_at = now() - interval '1 hour', state_checked_at = NULL WHERE id = $1 RETURNING 1",
                resynced.Id);
            using (var admin = fixture.AdminClient())
            {
                (await admin.PostAsJsonAsync("/v1/admin/tokens/resync", new { olderThan = "00:30:00", limit = 1000 })).EnsureSuccessStatusCode();
            }

            (await fixture.TokenAsync(resynced.Token)).Status.ShouldBe("ACTIVE");

            // Merchant unsuspend: MDES refuses (the token is ACTIVE there) and its GetToken answer wins over the forged date.
            var (status, answer, _) = await client.PostAsync($"/v1/gateway-tokens/{unsuspended.Token}/unsuspend", new { });
            status.ShouldBe(HttpStatusCode.OK, answer.ToString());
            (await fixture.TokenAsync(unsuspended.Token)).Status.ShouldBe("ACTIVE");

            // And the forged date froze nothing: MDES's next real NTU is applied as usual.
            var later = sender.Body("after-" + refreshed.Tur[^10..], NtuSender.Update(refreshed.Tur, merchant.TokenRequestorId, "SUSPENDED", DateTimeOffset.UtcNow));
            (await pinned.PostAsJsonAsync(NtuSender.Route, later)).StatusCode.ShouldBe(HttpStatusCode.OK);
            await fixture.WaitForTokenAsync(refreshed.Token, row => row.Status == "SUSPENDED");
        }
    }

    [Fact]
    public async Task Ntu_naming_another_token_requestor_is_acknowledged_kept_as_rejected_and_not_applied()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            await using var gateway = await MutualTlsGateway.StartAsync(fixture);
            using var sender = new NtuSender(fixture);
            using var pinned = gateway.Https(gateway.Mdes);
            var (token, tur, id) = await fixture.AddSettledActiveCardAsync(client, fixture.FreshApprovedPan());
            var events = await fixture.EventCountAsync(id);
            var requestId = "trid-" + tur[^10..];

            var response = await pinned.PostAsJsonAsync(NtuSender.Route,
                sender.Body(requestId, NtuSender.Update(tur, OtherTrid, "DEACTIVATED", DateTimeOffset.UtcNow)));

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            await Eventually.TrueAsync(
                async () => await fixture.ScalarAsync("SELECT count(*) FROM ntu_inbox WHERE request_id = $1 AND state = 'rejected'", requestId) == 1,
                TimeSpan.FromSeconds(15), "NTU for another TRID not recorded as rejected");
            var row = await fixture.TokenAsync(token);
            row.Status.ShouldBe("ACTIVE");
            row.ArchivedAt.ShouldBeNull();
            (await fixture.EventCountAsync(id)).ShouldBe(events);
            fixture.Logs.Lines.ShouldContain(line => line.Contains($"NTU {requestId} for {token} rejected", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Ntu_for_an_unknown_tur_is_refused_with_503_once_the_waiting_cap_is_reached_and_known_tokens_still_get_through()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        client.Dispose();
        var settings = fixture.Settings();
        settings["Notifications:MaxWaitingUpdates"] = "1";
        var port = FreePort();
        await using var factory = new GatewayFactory(settings, fixture.Logs);
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        using var sender = new NtuSender(fixture);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        // At least one row waits (the cap is global: other tests' unknown TURs count as well).
        await fixture.Database.InsertInboxAsync(NtuSender.NewTur(), merchant.TokenRequestorId, "waiting", null, DateTimeOffset.UtcNow, null);
        var unknown = NtuSender.NewTur();
        var known = NtuSender.NewTur();
        await sender.InsertTokenAsync(merchant.MerchantId, merchant.TokenRequestorId, known, DateTimeOffset.UtcNow.AddMinutes(-1));

        var refused = await http.PostAsJsonAsync(NtuSender.Route,
            sender.Body("cap-" + unknown[^8..], NtuSender.Update(unknown, merchant.TokenRequestorId, "ACTIVE", DateTimeOffset.UtcNow)));
        var accepted = await http.PostAsJsonAsync(NtuSender.Route,
            sender.Body("cap-" + known[^8..], NtuSender.Update(known, merchant.TokenRequestorId, "SUSPENDED", DateTimeOffset.UtcNow)));

        refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        refused.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(60));
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).Code().ShouldBe("ntu_backlog_full");
        (await InboxRowsAsync(unknown)).ShouldBe(0);
        accepted.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await InboxRowsAsync(known)).ShouldBe(1);
    }

    [Fact]
    public async Task Ntu_callback_answers_randomly_mutated_envelopes_and_payloads_with_problem_json_never_5xx()
    {
        using var sender = new NtuSender(fixture);
        var tur = NtuSender.NewTur();
        var clear = new JsonObject { ["tokens"] = new JsonArray(NtuSender.Update(tur, "50123456789", "SUSPENDED", DateTimeOffset.UtcNow, "OTHER", "1234")) }
            .ToJsonString();
        var envelope = sender.Body("fuzz-" + tur[^8..], NtuSender.Update(tur, "50123456789", "SUSPENDED", DateTimeOffset.UtcNow)).ToJsonString();
        var outcomes = new Dictionary<int, int>();
        const int PerKind = 150;
        for (var i = 0; i < 2 * PerKind; i++)
        {
            // First the envelope as sent, then the decrypted payload (a forger with the public certificate controls both).
            var body = i < PerKind
                ? Mutate(envelope)
                : sender.BodyEncrypting($"fuzz-{i}-" + tur[^8..], Mutate(clear));
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await sender.Http.PostAsync(NtuSender.Route, content);
            var status = (int)response.StatusCode;
            outcomes[status] = outcomes.GetValueOrDefault(status) + 1;
            status.ShouldBeLessThan(500, $"case {i}: {body}");
            if (status != 200)
            {
                response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json", $"case {i}: {body}");
                (await response.Content.ReadFromJsonAsync<JsonElement>()).Code().ShouldStartWith("ntu_");
            }
        }

        output.WriteLine("NTU mutations by status: " + string.Join(", ", outcomes.OrderBy(outcome => outcome.Key).Select(outcome => $"{outcome.Key}: {outcome.Value}")));
        // Most mutations must have been refused, or the mutator tested nothing.
        outcomes.Where(outcome => outcome.Key == 400).Sum(outcome => outcome.Value).ShouldBeGreaterThan(PerKind);
    }

    /// <summary>One to three edits: a character replaced by a hostile one, deleted, or a span duplicated (a failure prints the body).</summary>
    private static string Mutate(string json)
    {
        string[] hostile = ["\\ud800", "\\u0000", "\"", "{", "}", "[", "]", ",", ":", "null", "[null]", "1e999", "-0", "\\", "\u00e9", "\"tokens\":null,"];
        var text = new StringBuilder(json);
        for (var edits = RandomNumberGenerator.GetInt32(1, 4); edits > 0 && text.Length > 2; edits--)
        {
            var at = RandomNumberGenerator.GetInt32(text.Length);
            switch (RandomNumberGenerator.GetInt32(3))
            {
                case 0:
                    text.Remove(at, 1).Insert(at, hostile[RandomNumberGenerator.GetInt32(hostile.Length)]);
                    break;
                case 1:
                    text.Remove(at, 1);
                    break;
                default:
                    var length = Math.Min(RandomNumberGenerator.GetInt32(1, 40), text.Length - at);
                    text.Insert(at, text.ToString(at, length));
                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>True when the connection is refused (TLS alert or reset) rather than answered.</summary>
    private static async Task<bool> RefusedAsync(HttpClient client, JsonObject body)
    {
        try
        {
            using var response = await client.PostAsJsonAsync(NtuSender.Route, body);
            return false;
        }
        catch (HttpRequestException)
        {
            return true;
        }
    }

    private static string EncryptedTokens(NtuSender sender, string tokensJson) =>
        sender.BodyEncrypting("inner-" + Guid.NewGuid().ToString("N")[..8], "{\"tokens\":" + tokensJson + "}");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The gateway as "Production" with the callback protected as docs/notifications.md says: RequireClientCertificate,
    /// MDES's certificate pinned, an HTTPS listener with ClientCertificateMode RequireCertificate, and a plain listener.
    /// </summary>
    private sealed class MutualTlsGateway : IAsyncDisposable
    {
        private readonly GatewayFactory _factory;
        private readonly X509Certificate2 _server;
        private readonly int _httpsPort;
        private readonly int _httpPort;

        private MutualTlsGateway(GatewayFactory factory, X509Certificate2 server, X509Certificate2 mdes, int httpsPort, int httpPort)
        {
            _factory = factory;
            _server = server;
            Mdes = mdes;
            _httpsPort = httpsPort;
            _httpPort = httpPort;
        }

        public X509Certificate2 Mdes { get; }

        public static Task<MutualTlsGateway> StartAsync(GatewayFixture fixture)
        {
            var server = SelfSigned("CN=gateway.test", "1.3.6.1.5.5.7.3.1");
            var mdes = SelfSigned("CN=mdes.test", ClientAuth);
            var settings = fixture.Settings();
            settings.Remove("Notifications:AllowUnauthenticatedCallbacks");
            settings["Notifications:RequireClientCertificate"] = "true";
            settings["Notifications:AllowedClientCertificateThumbprints:0"] = mdes.GetCertHashString(HashAlgorithmName.SHA256);
            var (httpsPort, httpPort) = (FreePort(), FreePort());
            var factory = new GatewayFactory(settings, fixture.Logs, "Production");
            factory.UseKestrel(options =>
            {
                options.Listen(IPAddress.Loopback, httpsPort, endpoint =>
                    endpoint.UseHttps(server, https => https.ClientCertificateMode = ClientCertificateMode.RequireCertificate));
                options.Listen(IPAddress.Loopback, httpPort);
            });
            factory.StartServer();
            return Task.FromResult(new MutualTlsGateway(factory, server, mdes, httpsPort, httpPort));
        }

        public static X509Certificate2 SelfSigned(string subject, string usageOid)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usageOid)], critical: false));
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }

        public HttpClient Https(X509Certificate2? clientCertificate)
        {
            var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == _server.Thumbprint };
            if (clientCertificate is not null)
            {
                handler.ClientCertificates.Add(clientCertificate);
            }

            return new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{_httpsPort}/") };
        }

        public HttpClient Http() => new() { BaseAddress = new Uri($"http://127.0.0.1:{_httpPort}/") };

        public async ValueTask DisposeAsync()
        {
            await _factory.DisposeAsync();
            _server.Dispose();
            Mdes.Dispose();
        }
    }
}
