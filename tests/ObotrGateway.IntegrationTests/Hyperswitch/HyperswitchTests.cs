using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.IntegrationTests.Notifications;
using ObotrGateway.IntegrationTests.Webhooks;

namespace ObotrGateway.IntegrationTests.Hyperswitch;

/// <summary>
/// ObotrGateway as Hyperswitch's network-tokenization service, called exactly as Hyperswitch's client calls it
/// (<see cref="HyperswitchPeer"/>) against the real gateway, the MDES simulator and the real stores.
/// </summary>
[Collection(GatewayTestGroup.Name)]
public sealed class HyperswitchTests(GatewayFixture fixture)
{
    private static string NewConsent() => Guid.NewGuid().ToString();

    private static string NewCustomer() => "cus_" + Guid.NewGuid().ToString("N")[..14];

    /// <summary>Generate as Hyperswitch v1 does it; returns the decrypted payload, with its secrets registered for the leak scan.</summary>
    private async Task<JsonElement> GenerateAsync(HyperswitchPeer peer, string pan, string customer, string? consent = null, bool doubleEncoded = true)
    {
        var (status, body) = await peer.GenerateAsync(peer.CardData(pan, doubleEncoded: doubleEncoded), consent ?? NewConsent(), customer);
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        var payload = peer.DecryptPayload(body);
        fixture.SecretsSeen.Add(payload.GetProperty("token").GetString()!);
        return payload;
    }

    [Fact]
    public async Task Hyperswitch_calls_generate_fetch_status_and_delete_in_order_each_succeeds()
    {
        var (peer, _, merchant) = await HyperswitchPeer.SetUpAsync(fixture);
        using (peer)
        using (merchant)
        {
            var customer = NewCustomer();
            var pan = fixture.FreshApprovedPan();

            var payload = await GenerateAsync(peer, pan, customer);

            payload.GetProperty("cardBrand").GetString().ShouldBe("MASTERCARD");
            var reference = payload.GetProperty("cardReference").GetString()!;
            reference.ShouldStartWith("gt_");
            var token = payload.GetProperty("token").GetString()!;
            token.Length.ShouldBeInRange(8, 19);
            token.All(char.IsAsciiDigit).ShouldBeTrue();
            ObotrGateway.Api.CardData.CardValidation.LuhnValid(token).ShouldBeTrue();
            token.ShouldNotBe(pan);
            payload.GetProperty("tokenLastFour").GetString().ShouldBe(token[^4..]);
            payload.GetProperty("tokenIsin").GetString().ShouldBe(token[..6]);
            payload.GetProperty("tokenStatus").GetString().ShouldBe("ACTIVE");
            payload.GetProperty("customerId").GetString().ShouldBe(customer);
            payload.GetProperty("tokenExpiryMonth").GetString()!.Length.ShouldBe(2);
            payload.GetProperty("tokenExpiryYear").GetString()!.Length.ShouldBe(4);
            foreach (var required in new[] { "par", "correlationId" })
            {
                payload.GetProperty(required).ValueKind.ShouldBe(JsonValueKind.String);
            }

            var (fetchStatus, fetched) = await peer.FetchAsync(reference, customer);
            fetchStatus.ShouldBe(HttpStatusCode.OK, fetched.ToString());
            var cryptogram = fetched.GetProperty("authentication_details").GetProperty("cryptogram").GetString()!;
            fixture.SecretsSeen.Add(cryptogram);
            cryptogram.ShouldNotBeNullOrEmpty();
            fetched.GetProperty("authentication_details").GetProperty("token").GetString().ShouldBe(token);
            fetched.GetProperty("network").GetString().ShouldBe("MASTERCARD");
            fetched.GetProperty("token_details").GetProperty("exp_month").GetString().ShouldBe(payload.GetProperty("tokenExpiryMonth").GetString());
            fetched.GetProperty("token_details").GetProperty("exp_year").GetString().ShouldBe(payload.GetProperty("tokenExpiryYear").GetString());
            fetched.GetProperty("eci").GetString().ShouldBe("02");

            // A second fetch is a second payment: a different, single-use cryptogram.
            var (_, again) = await peer.FetchAsync(reference, customer);
            var second = again.GetProperty("authentication_details").GetProperty("cryptogram").GetString()!;
            fixture.SecretsSeen.Add(second);
            second.ShouldNotBe(cryptogram);

            foreach (var v2 in new[] { false, true })
            {
                var (statusCode, status) = await peer.StatusAsync(reference, customer, v2);
                statusCode.ShouldBe(HttpStatusCode.OK, status.ToString());
                var inner = status.GetProperty("payload");
                inner.GetProperty("tokenStatus").GetString().ShouldBe("ACTIVE");
                inner.GetProperty("tokenExpiryMonth").GetString().ShouldBe(payload.GetProperty("tokenExpiryMonth").GetString());
                inner.GetProperty("tokenExpiryYear").GetString().ShouldBe(payload.GetProperty("tokenExpiryYear").GetString());
                inner.GetProperty("tokenLastFour").GetString().ShouldBe(token[^4..]);
                inner.GetProperty("cardLastFour").GetString().ShouldBe(pan[^4..]);
            }

            var (deleteStatus, deleted) = await peer.DeleteAsync(reference, customer);
            deleteStatus.ShouldBe(HttpStatusCode.OK, deleted.ToString());
            deleted.GetProperty("status").GetString().ShouldBe("SUCCESS");
            (await fixture.TokenAsync(reference)).Status.ShouldBe("DEACTIVATED");

            var (_, afterDelete) = await peer.StatusAsync(reference, customer);
            afterDelete.GetProperty("payload").GetProperty("tokenStatus").GetString().ShouldBe("INACTIVE");
            var (refetchStatus, refetched) = await peer.FetchAsync(reference, customer);
            refetchStatus.ShouldBe(HttpStatusCode.Conflict);
            refetched.HyperswitchErrorCode().ShouldBe("token_not_active");
            var (redeleteStatus, redeleted) = await peer.DeleteAsync(reference, customer);
            redeleteStatus.ShouldBe(HttpStatusCode.OK, redeleted.ToString());
            redeleted.GetProperty("status").GetString().ShouldBe("SUCCESS");
        }
    }

    [Fact]
    public async Task Generate_with_single_encoded_card_no_key_id_and_no_cvc_tokenizes()
    {
        var (peer, _, merchant) = await HyperswitchPeer.SetUpAsync(fixture);
        using (peer)
        using (merchant)
        {
            var customer = NewCustomer();
            // As Hyperswitch v2 and the builds that dropped keyId send it: object encoded once, no cardSecurityCode key, kid only.
            var cardData = peer.CardData(fixture.FreshApprovedPan(), expMonth: "7", expYear: "31", doubleEncoded: false, omitCvc: true);

            var (status, body) = await peer.GenerateAsync(cardData, NewConsent(), customer, sendKeyId: false);

            status.ShouldBe(HttpStatusCode.OK, body.ToString());
            var payload = peer.DecryptPayload(body);
            fixture.SecretsSeen.Add(payload.GetProperty("token").GetString()!);
            payload.GetProperty("tokenStatus").GetString().ShouldBe("ACTIVE");
            var (_, tokenStatus) = await peer.StatusAsync(payload.GetProperty("cardReference").GetString()!, customer);
            // The card's expiry is answered the way Hyperswitch wrote it ("7", "31"), so its string comparisons hold.
            tokenStatus.GetProperty("payload").GetProperty("cardExpiryMonth").GetString().ShouldBe("7");
            tokenStatus.GetProperty("payload").GetProperty("cardExpiryYear").GetString().ShouldBe("31");
        }
    }

    [Fact]
    public async Task Generate_with_empty_cvc_and_double_encoding_tokenizes()
    {
        var (peer, _, merchant) = await HyperswitchPeer.SetUpAsync(fixture);
        using (peer)
        using (merchant)
        {
            // The background NetworkTokenizationWorkflow re-tokenizes stored cards with an empty CVC.
            var (status, body) = await peer.GenerateAsync(peer.CardData(fixture.FreshApprovedPan(), cvc: ""), NewConsent(), NewCustomer());

            status.ShouldBe(HttpStatusCode.OK, body.ToString());
            fixture.SecretsSeen.Add(peer.DecryptPayload(body).GetProperty("token").GetString()!);
        }
    }

    [Fact]
    public async Task Generate_twice_with_one_consent_id_answers_the_same_card_reference()
    {
        var (peer, _, merchant) = await HyperswitchPeer.SetUpAsync(fixture);
        using (peer)
        using (merchant)
        {
            var (pan, customer, consent) = (fixture.FreshApprovedPan(), NewCustomer(), NewConsent());

            var first = await GenerateAsync(peer, pan, customer, consent);
            var second = await GenerateAsync(peer, pan, customer, consent);

            second.GetProperty("cardReference").GetString().ShouldBe(first.GetProperty("cardReference").GetString());
            second.GetProperty("token").GetString().ShouldBe(first.GetProperty("token").GetString());
            (await fixture.ScalarAsync("SELECT count(*) FROM hyperswitch_cards WHERE consent_id = $1", consent)).ShouldBe(1);
            var (status, reused) = await peer.GenerateAsync(peer.CardData(fixture.FreshApprovedPan()), consent, customer);
            status.ShouldBe(HttpStatusCode.Conflict);
            reused.HyperswitchErrorCode().ShouldBe("consent_id_reused");
        }
    }

    [Fact]
    public async Task Generate_under_an_unknown_key_id_is_refused_and_stores_nothing()
    {
        var (peer, _, merchant) = await HyperswitchPeer.SetUpAsync(fixture);
        using (peer)
        using (merchant)
        {
            const string wrong = "hs_000000000000000000000000";
            var cardData = peer.CardData(fixture.FreshApprovedPan(), kid: wrong);

            var (status, body) = await peer.GenerateAsync(cardData, NewConsent(), NewCustomer(), keyId: wrong);

            status.ShouldBe(HttpStatusCode.BadRequest);
            body.HyperswitchErrorCode().ShouldBe("unknown_key_id");
            (await fixture.ScalarAsync("SELECT count(*) FROM gateway_tokens WHERE merchant_id = $1", peer.Merchant.MerchantId)).ShouldBe(0);
            var (mismatch, mismatched) = await peer.GenerateAsync(peer.CardData(fixture.FreshApprovedPan()), NewConsent(), NewCustomer(), keyId: wrong);
            mismatch.ShouldBe(HttpStatusCode.BadRequest);
            mismatched.HyperswitchErrorCode().ShouldBe("key_id_mismatch");
        }
    }

    [Fact]
    public async Task Generate_with_a_tampered_jwe_is_refused_with_a_clear_error()
    {
        var (peer, _, merchant) = await HyperswitchPeer.SetUpAsync(fixture);
        using (peer)
        using (merchant)
        {
            var parts = peer.CardData(fixture.FreshApprovedPan()).Split('.');
            var ciphertext = parts[3].ToCharArray();
            ciphertext[5] = ciphertext[5] == 'A' ? 'B' : 'A';
            parts[3] = new string(ciphertext);

            var (status, body) = await peer.GenerateAsync(string.Join('.', parts), NewConsent(), NewCustomer());

            status.ShouldBe(HttpStatusCode.BadRequest);
            body.HyperswitchErrorCode().ShouldBe("card_data_undecryptable");
            body.GetProperty("error_info").GetProperty("developer_message").GetString()!.ShouldContain("altered");
            var (notJwe, notJweBody) = await peer.GenerateAsync("not-a-jwe", NewConsent(), NewCustomer());
            notJwe.ShouldBe(HttpStatusCode.BadRequest);
            notJweBody.HyperswitchErrorCode().ShouldBe("invalid_card_data");
        }
    }

    [Fact]
    public async Task Generate_of_a_card_failing_the_checks_is_refused_naming_the_field()
    {
        var (peer, _, merchant) = await HyperswitchPeer.SetUpAsync(fixture);
        using (peer)
        using (merchant)
        {
            var (status, body) = await peer.GenerateAsync(peer.CardData(TestCards.NotLuhn), NewConsent(), NewCustomer());

            status.ShouldBe(HttpStatusCode.BadRequest);
            body.HyperswitchErrorCode().ShouldBe("invalid_card");
            var message = body.GetProperty("error_info").GetProperty("developer_message").GetString()!;
            message.ShouldContain("cardData.cardNumber");
            message.ShouldNotContain(TestCards.NotLuhn);
        }
    }

    [Fact]
    public async Task Unknown_card_reference_and_wrong_api_key_are_refused_in_hyperswitch_error_shape()
    {
        var (peer, _, merchant) = await HyperswitchPeer.SetUpAsync(fixture);
        using (peer)
        using (merchant)
        {
            var customer = NewCustomer();
            var reference = (await GenerateAsync(peer, fixture.FreshApprovedPan(), customer)).GetProperty("cardReference").GetString()!;

            foreach (var call in new Func<string, string, Task<(HttpStatusCode, JsonElement)>>[]
                     { peer.FetchAsync, (r, c) => peer.StatusAsync(r, c), peer.DeleteAsync })
            {
                var (unknown, unknownBody) = await call("gt_00000000000000000000000000000000", customer);
                unknown.ShouldBe(HttpStatusCode.NotFound);
                unknownBody.HyperswitchErrorCode().ShouldBe("card_reference_not_found");
                var (otherCustomer, otherBody) = await call(reference, NewCustomer());
                otherCustomer.ShouldBe(HttpStatusCode.NotFound);
                otherBody.HyperswitchErrorCode().ShouldBe("card_reference_not_found");
            }

            var (missing, missingBody) = await peer.PostAsync("/v1/hyperswitch/fetch-token", new { customer_id = customer });
            missing.ShouldBe(HttpStatusCode.BadRequest);
            missingBody.HyperswitchErrorCode().ShouldBe("invalid_request");
            var (unauthorized, unauthorizedBody) = await peer.PostAsync("/v1/hyperswitch/fetch-token",
                new { card_reference = reference, customer_id = customer }, authorization: "Bearer obk_not-a-key");
            unauthorized.ShouldBe(HttpStatusCode.Unauthorized);
            unauthorizedBody.HyperswitchErrorCode().ShouldBe("unauthorized");
            (await fixture.TokenAsync(reference)).Status.ShouldBe("ACTIVE");
        }
    }

    [Fact]
    public async Task Issuer_pan_swap_sends_the_card_webhook_with_the_configured_authorization()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (peer, _, merchant) = await HyperswitchPeer.SetUpAsync(fixture, receiver.Url);
        using (peer)
        using (merchant)
        {
            var customer = NewCustomer();
            var reference = (await GenerateAsync(peer, fixture.FreshApprovedPan(), customer)).GetProperty("cardReference").GetString()!;
            var tur = (await fixture.TokenAsync(reference)).TokenUniqueReference!;
            var newPan = fixture.FreshApprovedPan();

            var (swapStatus, swapAnswer) = await fixture.Simulator.ConsoleAsync("/issuer/tokens/update", new
            {
                tokenUniqueReferences = new[] { tur },
                userId = "u1",
                userName = "Issuer Agent",
                newAccountNumber = newPan,
                newExpiryMonth = "09",
                newExpiryYear = "33",
            });
            swapStatus.ShouldBe(HttpStatusCode.OK, swapAnswer?.ToJsonString());

            var (headers, body) = await WaitForAsync(receiver, "\"card\"");
            headers["Authorization"].ShouldBe(peer.WebhookAuthorization);
            headers["Content-Type"].ShouldStartWith("application/json");
            using var json = JsonDocument.Parse(body);
            json.RootElement.TryGetProperty("token", out _).ShouldBeFalse();
            var card = json.RootElement.GetProperty("card");
            card.GetProperty("card_reference").GetString().ShouldBe(reference);
            card.GetProperty("customer_id").GetString().ShouldBe(customer);
            card.GetProperty("expiry_month").GetString().ShouldBe("09");
            card.GetProperty("expiry_year").GetString().ShouldBe("2033"); // written as Hyperswitch wrote the year at generate
            var (_, status) = await peer.StatusAsync(reference, customer);
            status.GetProperty("payload").GetProperty("cardLastFour").GetString().ShouldBe(newPan[^4..]);
        }
    }

    [Fact]
    public async Task Token_expiry_change_sends_the_token_webhook_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (peer, _, merchant) = await HyperswitchPeer.SetUpAsync(fixture, receiver.Url);
        using (peer)
        using (merchant)
        using (var ntus = new NtuSender(fixture))
        {
            var customer = NewCustomer();
            var payload = await GenerateAsync(peer, TestCards.Approved, customer);
            var reference = payload.GetProperty("cardReference").GetString()!;
            var row = await fixture.TokenAsync(reference);
            payload.GetProperty("tokenExpiryYear").GetString().ShouldNotBe("2031"); // the NTU below really changes it
            // MDES tells of a new token expiry (12/31) in an NTU's tokenInfo.
            var update = NtuSender.Update(row.TokenUniqueReference!, peer.Merchant.TokenRequestorId, "ACTIVE", DateTimeOffset.UtcNow, tokenPanSuffix: row.TokenPanSuffix);
            (await ntus.SendAsync(Guid.NewGuid().ToString("N"), update)).StatusCode.ShouldBe(HttpStatusCode.OK);

            var (headers, body) = await WaitForAsync(receiver, "\"token\"");
            headers["Authorization"].ShouldBe(peer.WebhookAuthorization);
            using var json = JsonDocument.Parse(body);
            var token = json.RootElement.GetProperty("token");
            token.GetProperty("card_reference").GetString().ShouldBe(reference);
            token.GetProperty("customer_id").GetString().ShouldBe(customer);
            token.GetProperty("expiry_month").GetString().ShouldBe("12");
            token.GetProperty("expiry_year").GetString().ShouldBe("2031");
            // The same NTU again changes nothing: no second webhook.
            (await ntus.SendAsync(Guid.NewGuid().ToString("N"), update)).StatusCode.ShouldBe(HttpStatusCode.OK);
            await Eventually.TrueAsync(async () => await fixture.ScalarAsync(
                    "SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = $1 AND state IN ('stale', 'unchanged')", row.TokenUniqueReference!) >= 1,
                TimeSpan.FromSeconds(15), "repeated NTU not processed");
            (await fixture.ScalarAsync("SELECT count(*) FROM webhook_outbox WHERE gateway_token_id = $1 AND event_type = 'hyperswitch.token'", row.Id))
                .ShouldBe(1);
        }
    }

    [Fact]
    public async Task Setup_rotation_keeps_the_replaced_key_decrypting_and_get_shows_no_secrets()
    {
        var (peer, setup, merchant) = await HyperswitchPeer.SetUpAsync(fixture);
        using (peer)
        using (merchant)
        {
            var oldCardData = peer.CardData(fixture.FreshApprovedPan());
            var oldKeyId = peer.KeyId;

            var rotated = await peer.PutSetupAsync(merchant, new Uri(setup.GetProperty("webhookUrl").GetString()!), rotateKey: true);

            rotated.GetProperty("keyId").GetString().ShouldNotBe(oldKeyId);
            rotated.GetProperty("retiredKeys")[0].GetProperty("keyId").GetString().ShouldBe(oldKeyId);
            var (status, body) = await peer.GenerateAsync(oldCardData, NewConsent(), NewCustomer(), keyId: oldKeyId);
            status.ShouldBe(HttpStatusCode.OK, body.ToString());
            fixture.SecretsSeen.Add(peer.DecryptPayload(body).GetProperty("token").GetString()!);
            await GenerateAsync(peer, fixture.FreshApprovedPan(), NewCustomer()); // and the new key works

            var shown = (await merchant.GetStringAsync("/v1/merchant/hyperswitch"));
            shown.ShouldNotContain(peer.WebhookAuthorization);
            shown.ShouldNotContain("PRIVATE KEY");
            (await fixture.ScalarAsync("SELECT count(*) FROM hyperswitch_keys WHERE merchant_id = (SELECT merchant_id FROM hyperswitch_keys WHERE key_id = $1)",
                oldKeyId)).ShouldBe(2);
        }
    }

    [Fact]
    public async Task Setup_rotation_replayed_with_its_idempotency_key_rotates_once()
    {
        var (peer, setup, merchant) = await HyperswitchPeer.SetUpAsync(fixture);
        using (peer)
        using (merchant)
        {
            var body = new
            {
                hyperswitchPublicKey = peer.PrivateKey.ExportSubjectPublicKeyInfoPem(),
                webhookUrl = setup.GetProperty("webhookUrl").GetString(),
                webhookAuthorization = peer.WebhookAuthorization,
                rotateKey = true,
            };
            var key = Guid.NewGuid().ToString();
            var answers = new List<string>();
            for (var attempt = 0; attempt < 2; attempt++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Put, "/v1/merchant/hyperswitch") { Content = JsonContent.Create(body) };
                request.Headers.Add("Idempotency-Key", key);
                using var response = await merchant.SendAsync(request);
                response.StatusCode.ShouldBe(HttpStatusCode.OK);
                answers.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("keyId").GetString()!);
            }

            answers[0].ShouldNotBe(setup.GetProperty("keyId").GetString());
            answers[1].ShouldBe(answers[0]);
            (await fixture.ScalarAsync("SELECT count(*) FROM hyperswitch_keys WHERE merchant_id = $1", peer.Merchant.MerchantId)).ShouldBe(2);
        }
    }

    [Fact]
    public async Task Setup_with_the_private_key_instead_of_the_public_one_is_refused()
    {
        var (merchantInfo, merchant) = await fixture.NewMerchantAsync();
        using (merchant)
        using (var rsa = System.Security.Cryptography.RSA.Create(2048))
        {
            var response = await merchant.PutAsJsonAsync("/v1/merchant/hyperswitch", new
            {
                hyperswitchPublicKey = rsa.ExportPkcs8PrivateKeyPem(),
                webhookUrl = "https://hyperswitch.example.com/webhooks/network_token_requestor/ref",
                webhookAuthorization = "secret",
            });

            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await response.Content.ReadAsStringAsync()).ShouldContain("hyperswitchPublicKey");
            (await merchant.GetAsync("/v1/merchant/hyperswitch")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await fixture.ScalarAsync("SELECT count(*) FROM hyperswitch_keys WHERE merchant_id = $1", merchantInfo.MerchantId)).ShouldBe(0);
        }
    }

    [Theory]
    [InlineData("/v1/hyperswitch/generate-token", "post", "200")]
    [InlineData("/v1/hyperswitch/generate-token", "post", "400")]
    [InlineData("/v1/hyperswitch/fetch-token", "post", "200")]
    [InlineData("/v1/hyperswitch/fetch-token", "post", "404")]
    [InlineData("/v1/hyperswitch/check-token-status", "post", "200")]
    [InlineData("/v1/hyperswitch/delete-token", "post", "200")]
    [InlineData("/v1/merchant/hyperswitch", "put", "200")]
    public async Task OpenApi_hyperswitch_endpoints_carry_request_and_response_examples(string path, string method, string status)
    {
        using var client = fixture.Factory.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        var operation = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method);
        operation.GetProperty("requestBody").GetProperty("content").EnumerateObject().First().Value
            .GetProperty("example").ValueKind.ShouldBe(JsonValueKind.Object);
        operation.GetProperty("responses").GetProperty(status).GetProperty("content").EnumerateObject().First().Value
            .GetProperty("example").ValueKind.ShouldBe(JsonValueKind.Object);
    }

    private static async Task<(Dictionary<string, string> Headers, string Body)> WaitForAsync(WebhookReceiver receiver, string marker)
    {
        (Dictionary<string, string> Headers, string Body)? found = null;
        await Eventually.TrueAsync(() =>
        {
            found = receiver.Received.FirstOrDefault(delivery => delivery.Body.Contains(marker, StringComparison.Ordinal));
            return Task.FromResult(found?.Body is not null);
        }, TimeSpan.FromSeconds(20), "Hyperswitch webhook not received");
        return found!.Value;
    }
}
