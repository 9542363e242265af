using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Jose;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Hyperswitch;

/// <summary>
/// Plays Hyperswitch's network-tokenization client as ../shared/hyperswitch-contract.md describes it: its own RSA key pair
/// (the private half is its <c>private_key</c>), our key id and public key from the set-up call, the API key sent verbatim
/// as <c>Authorization</c>, <c>via: HyperSwitch</c>, JWE through jose-jwt (RSA-OAEP-256 + A128GCM, kid = key_id), the card
/// JSON encoded twice, and the snake_case / camelCase bodies of the four calls.
/// </summary>
internal sealed class HyperswitchPeer : IDisposable
{
    private readonly HttpClient _http;

    private HyperswitchPeer(GatewayFixture fixture, TestMerchant merchant)
    {
        Merchant = merchant;
        _http = new HttpClient { BaseAddress = fixture.GatewayAddress };
        // token_service_api_key as the operator configures it, sent raw by Hyperswitch.
        _http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + merchant.ApiKey);
        _http.DefaultRequestHeaders.TryAddWithoutValidation("via", "HyperSwitch");
    }

    /// <summary>The merchant whose API key Hyperswitch is configured with.</summary>
    public TestMerchant Merchant { get; }

    /// <summary>Hyperswitch's own key pair: <c>private_key</c> decrypts generate answers.</summary>
    public RSA PrivateKey { get; } = RSA.Create(2048);

    /// <summary><c>key_id</c> and <c>public_key</c> of its configuration: ours, from PUT /v1/merchant/hyperswitch.</summary>
    public string KeyId { get; set; } = "";

    public RSA OurPublicKey { get; } = RSA.Create();

    public string WebhookAuthorization { get; } = "hs-webhook-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>A peer for a fresh merchant whose set-up names <paramref name="webhookUrl"/>; the setup answer is returned too.</summary>
    public static async Task<(HyperswitchPeer Peer, JsonElement Setup, HttpClient Merchant)> SetUpAsync(GatewayFixture fixture, Uri? webhookUrl = null)
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        var peer = new HyperswitchPeer(fixture, merchant);
        fixture.SecretsSeen.Add(peer.WebhookAuthorization); // a shared secret: stored only encrypted
        var setup = await peer.PutSetupAsync(client, webhookUrl ?? new Uri("https://hyperswitch.example.com/webhooks/network_token_requestor/ref"));
        return (peer, setup, client);
    }

    public async Task<JsonElement> PutSetupAsync(HttpClient merchant, Uri webhookUrl, bool rotateKey = false)
    {
        var response = await merchant.PutAsJsonAsync("/v1/merchant/hyperswitch", new
        {
            hyperswitchPublicKey = PrivateKey.ExportSubjectPublicKeyInfoPem(),
            webhookUrl = webhookUrl.ToString(),
            webhookAuthorization = WebhookAuthorization,
            rotateKey,
        });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToString());
        KeyId = body.GetProperty("keyId").GetString()!;
        OurPublicKey.ImportFromPem(body.GetProperty("publicKey").GetString());
        return body;
    }

    /// <summary>What Hyperswitch encrypts: the card object serialised, and (by default) that string serialised again.</summary>
    public string CardData(string pan, string expMonth = "12", string expYear = "2031", string? cvc = null, bool doubleEncoded = true,
        bool omitCvc = false, string? kid = null, RSA? encryptTo = null)
    {
        var card = new Dictionary<string, object?> { ["cardNumber"] = pan, ["expMonth"] = expMonth, ["expYear"] = expYear };
        if (!omitCvc)
        {
            card["cardSecurityCode"] = cvc;
        }

        var json = JsonSerializer.Serialize(card);
        var plaintext = doubleEncoded ? JsonSerializer.Serialize(json) : json;
        return JWT.Encode(plaintext, encryptTo ?? OurPublicKey, JweAlgorithm.RSA_OAEP_256, JweEncryption.A128GCM,
            extraHeaders: new Dictionary<string, object> { ["typ"] = "JWT", ["kid"] = kid ?? KeyId });
    }

    /// <summary>generate_token_url with the v1 body (keyId present unless <paramref name="sendKeyId"/> is false, as in some builds).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> GenerateAsync(string cardData, string consentId, string customerId,
        bool sendKeyId = true, string? keyId = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["service"] = "NETWORK_TOKEN",
            ["cardData"] = cardData,
            ["orderData"] = new { consentId, customerId },
            ["shouldSendToken"] = true,
        };
        if (sendKeyId)
        {
            body["keyId"] = keyId ?? KeyId;
        }

        return await PostAsync("/v1/hyperswitch/generate-token", body);
    }

    /// <summary>Generate's payload decrypted with Hyperswitch's private key, as its client parses it (single-encoded JSON).</summary>
    public JsonElement DecryptPayload(JsonElement generateAnswer)
    {
        var jwe = generateAnswer.GetProperty("payload").GetString()!;
        var headers = JWT.Headers(jwe);
        headers["alg"].ToString().ShouldBe("RSA-OAEP-256");
        var plaintext = JWT.Decrypt(jwe, PrivateKey, JweAlgorithm.RSA_OAEP_256, (JweEncryption?)null);
        return JsonDocument.Parse(plaintext).RootElement.Clone();
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> FetchAsync(string cardReference, string customerId) =>
        PostAsync("/v1/hyperswitch/fetch-token", new Dictionary<string, string> { ["card_reference"] = cardReference, ["customer_id"] = customerId });

    /// <summary>check_token_status_url: v1 sends snake_case, v2 camelCase.</summary>
    public Task<(HttpStatusCode Status, JsonElement Body)> StatusAsync(string cardReference, string customerId, bool v2 = false) =>
        PostAsync("/v1/hyperswitch/check-token-status", v2
            ? new Dictionary<string, string> { ["cardReference"] = cardReference, ["customerId"] = customerId }
            : new Dictionary<string, string> { ["card_reference"] = cardReference, ["customer_id"] = customerId });

    public Task<(HttpStatusCode Status, JsonElement Body)> DeleteAsync(string cardReference, string customerId) =>
        PostAsync("/v1/hyperswitch/delete-token", new Dictionary<string, string> { ["card_reference"] = cardReference, ["customer_id"] = customerId });

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, object body, string? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            // A header on the request wins over the client's default one.
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    public void Dispose()
    {
        _http.Dispose();
        PrivateKey.Dispose();
        OurPublicKey.Dispose();
    }
}

internal static class HyperswitchErrorShape
{
    /// <summary>Asserts Hyperswitch's NetworkTokenErrorResponse shape and returns error_info.code.</summary>
    public static string HyperswitchErrorCode(this JsonElement body)
    {
        body.GetProperty("error_message").GetString().ShouldNotBeNullOrEmpty();
        body.GetProperty("error_info").GetProperty("developer_message").GetString().ShouldNotBeNullOrEmpty();
        body.TryGetProperty("type", out _).ShouldBeFalse(); // not the RFC 7807 problem any more
        return body.GetProperty("error_info").GetProperty("code").GetString()!;
    }
}
