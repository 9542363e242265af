using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Simulator.Support;

public sealed record MdesResponse(HttpStatusCode Status, JsonObject Body)
{
    /// <summary>The application <c>Errors</c> object, the gateway's <c>Errors.Error[]</c>, or Transact's flat error.</summary>
    public string? ReasonCode => (string?)Body["Errors"]?["reasonCode"] ?? (string?)Body["Errors"]?[nameof(Error)]?[0]?[nameof(ReasonCode)] ?? (string?)Body["reasonCode"];

    /// <summary>The application error object (1.3.0 <c>ErrorsResponse.Errors</c>).</summary>
    public JsonNode? Error => Body["Errors"];
}

/// <summary>A token requestor talking to the simulator: signs every call and encrypts/decrypts like contract §1.</summary>
public sealed class TestMdesClient(HttpClient http, string consumerKey, RSA signingKey, X509Certificate2 mdesCertificate, RSA decryptionKey)
{
    public const string Trid = "50123456789";

    public HttpClient Http { get; } = http;

    public string ConsumerKey { get; } = consumerKey;

    public RSA SigningKey { get; } = signingKey;

    public X509Certificate2 MdesCertificate { get; } = mdesCertificate;

    public Task<MdesResponse> PostAsync(string operationPath, JsonObject body, OAuthTamper? tamper = null) =>
        SendRawAsync(HttpMethod.Post, operationPath, Encoding.UTF8.GetBytes(body.ToJsonString()), tamper);

    public async Task<MdesResponse> SendRawAsync(HttpMethod method, string path, byte[] body, OAuthTamper? tamper = null, byte[]? signedBody = null)
    {
        var uri = new Uri(Http.BaseAddress!, path);
        using var request = new HttpRequestMessage(method, uri);
        if (method != HttpMethod.Get)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        request.Headers.TryAddWithoutValidation("Authorization", TestOAuth.Header(method.Method, uri, signedBody ?? body, ConsumerKey, SigningKey, tamper));
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new MdesResponse(response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject());
    }

    public JsonObject Decrypt(JsonNode envelope) => TestFle.Decrypt(envelope.AsObject(), decryptionKey);

    public static JsonObject Account(string pan, string month = "12", string year = "30") => new()
    {
        ["cardAccountData"] = new JsonObject { ["accountNumber"] = pan, ["expiryMonth"] = month, ["expiryYear"] = year, ["securityCode"] = "123" },
        ["accountHolderData"] = new JsonObject { ["accountHolderName"] = "Jane Roe" },
        ["source"] = "ACCOUNT_ON_FILE",
    };

    public JsonObject TokenizeBody(string pan, FleStyle? style = null, string trid = Trid, JsonObject? account = null) => new()
    {
        ["requestId"] = Guid.NewGuid().ToString("N"),
        ["responseHost"] = "psp.example.net",
        ["tokenType"] = "CLOUD",
        ["tokenRequestorId"] = trid,
        ["taskId"] = Guid.NewGuid().ToString("N"),
        ["fundingAccountInfo"] = new JsonObject { ["encryptedPayload"] = TestFle.Encrypt(account ?? Account(pan), MdesCertificate, style) },
    };

    public Task<MdesResponse> TokenizeAsync(string pan, FleStyle? style = null, string trid = Trid) =>
        PostAsync(Paths.Tokenize, TokenizeBody(pan, style, trid));

    public Task<MdesResponse> TransactAsync(string tur) => PostAsync(Paths.Transact, new JsonObject
    {
        ["requestId"] = Guid.NewGuid().ToString("N"),
        ["tokenUniqueReference"] = tur,
        ["dsrpType"] = "UCAF",
        ["unpredictableNumber"] = "1A2B3C4D",
    });

    public Task<MdesResponse> LifecycleAsync(string path, string reasonCode, params string[] turs) => PostAsync(path, new JsonObject
    {
        ["requestId"] = Guid.NewGuid().ToString("N"),
        ["tokenUniqueReferences"] = new JsonArray([.. turs.Select(t => (JsonNode)t)]),
        ["causedBy"] = "TOKEN_REQUESTOR",
        ["reasonCode"] = reasonCode,
    });

    public Task<MdesResponse> GetTokenAsync(string tur, bool detail = false) => PostAsync(Paths.GetToken, new JsonObject
    {
        ["requestId"] = Guid.NewGuid().ToString("N"),
        ["tokenUniqueReference"] = tur,
        ["includeTokenDetail"] = detail ? "true" : "false",
    });

    public async Task<string> StatusOfAsync(string tur) => (string)(await GetTokenAsync(tur)).Body["token"]!["status"]!;

    /// <summary>Tokenizes and waits until MDES has activated the token.</summary>
    public async Task<string> ActiveTokenAsync(string pan = "5204730000100003")
    {
        var response = await TokenizeAsync(pan);
        response.Status.ShouldBe(HttpStatusCode.OK, response.Body.ToJsonString());
        var tur = (string)response.Body["tokenUniqueReference"]!;
        await Eventually.TrueAsync(async () => await StatusOfAsync(tur) == "ACTIVE", TimeSpan.FromSeconds(10), $"{tur} did not become ACTIVE",
            TimeSpan.FromMilliseconds(50));
        return tur;
    }
}

public static class Paths
{
    public const string Tokenize = "/mdes/digitization/static/1/0/tokenize";
    public const string Transact = "/mdes/remotetransaction/static/1/0/transact";
    public const string GetToken = "/mdes/digitization/static/1/0/getToken";
    public const string SearchTokens = "/mdes/digitization/static/1/0/searchTokens";
    public const string Suspend = "/mdes/digitization/static/1/0/suspend";
    public const string Unsuspend = "/mdes/digitization/static/1/0/unsuspend";
    public const string Delete = "/mdes/digitization/static/1/0/delete";
    public const string GetTaskStatus = "/mdes/digitization/static/1/0/getTaskStatus";
    public const string Asset = "/mdes/assets/static/1/0/asset/";
}
