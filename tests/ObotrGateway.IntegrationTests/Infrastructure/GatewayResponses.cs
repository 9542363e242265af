using System.Net.Http.Json;
using System.Text.Json;

namespace ObotrGateway.IntegrationTests.Infrastructure;

// The gateway's answers as a merchant reads them, so a test names the fields it checks instead of walking JSON. They
// are written here from docs/ and the OpenAPI document, not borrowed from the gateway's own view records: a field
// renamed on the wire must fail the tests. Read strictly (GatewayResponses.Json): a field without a default must be
// there and, unless nullable, not null, as GetProperty demanded. A test about whether a field is present at all (or
// null) reads the JSON.

/// <summary>GET/POST /v1/gateway-tokens.</summary>
internal sealed record GatewayTokenResponse(
    string GatewayToken, string Status, string PanSuffix, IReadOnlyList<string> SuspendedBy, DateTimeOffset CreatedAt,
    string? Decision = null, string? TokenPanSuffix = null, string? TokenExpiry = null, DateTimeOffset? StatusTimestamp = null,
    JsonElement? ProductConfig = null);

/// <summary>GET /v1/gateway-tokens.</summary>
internal sealed record GatewayTokenListResponse(IReadOnlyList<GatewayTokenResponse> GatewayTokens, string? NextBefore = null);

/// <summary>POST/GET /v1/payments.</summary>
internal sealed record PaymentResponse(
    Guid PaymentId, string Status, bool NetworkTokenUsed, long Amount, string Currency, string Recurring, DateTimeOffset CreatedAt,
    string? DeclineReason = null, string? GatewayToken = null, string? Tokenization = null);

/// <summary>POST /v1/network-tokens and /v1/gateway-tokens/{token}/cryptograms: secrets for one payment elsewhere.</summary>
internal sealed record NetworkTokenResponse(
    string GatewayToken, string TokenNumber, string ExpiryMonth, string ExpiryYear, string Cryptogram, string CryptogramType,
    string PanSequenceNumber);

/// <summary>What became of one token in a delete, suspend or unsuspend (DELETE /v1/gateway-tokens/{token} and the batch forms).</summary>
internal sealed record LifecycleOutcomeResponse(
    string GatewayToken, string Result, string? Status = null, IReadOnlyList<string>? SuspendedBy = null, DateTimeOffset? StatusTimestamp = null,
    string? Error = null);

/// <summary>POST /v1/gateway-tokens/delete, /suspend and /unsuspend.</summary>
internal sealed record LifecycleBatchResponse(IReadOnlyList<LifecycleOutcomeResponse> Results, IReadOnlyDictionary<string, int> Counts);

/// <summary>GET /v1/merchant, and each merchant of GET /v1/admin/merchants.</summary>
internal sealed record MerchantProfileResponse(Guid MerchantId, string Name, string TokenRequestorId);

/// <summary>GET /v1/admin/merchants.</summary>
internal sealed record MerchantPageResponse(IReadOnlyList<MerchantProfileResponse> Merchants, Guid? NextAfter = null);

/// <summary>POST /v1/admin/merchants/{id}/rotate-key.</summary>
internal sealed record RotatedKeyResponse(Guid MerchantId, string ApiKey, DateTimeOffset RotatedAt);

/// <summary>An RFC 7807 problem with its stable <c>code</c>; <c>suspendedBy</c> on token_not_active.</summary>
internal sealed record ProblemResponse(string Code, string? Title = null, int? Status = null, string? Detail = null, IReadOnlyList<string>? SuspendedBy = null);

/// <summary>The simulated acquirer's answer to an authorization (another gateway paying with a hand-off).</summary>
internal sealed record AuthorizationResponse(string Status, string? DeclineReason = null);

internal static class GatewayResponses
{
    /// <summary>The web defaults (camelCase), plus: required fields must be present and non-nullable ones not null.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web)
    {
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>A JSON answer read as <typeparamref name="T"/>.</summary>
    public static T As<T>(this JsonElement body) =>
        body.Deserialize<T>(Json) ?? throw new InvalidOperationException($"no {typeof(T).Name} in {body}");

    /// <summary>GET <paramref name="path"/> as <typeparamref name="T"/> (a non-success status throws, as GetFromJsonAsync does).</summary>
    public static async Task<T> GetAsAsync<T>(this HttpClient client, string path) =>
        await client.GetFromJsonAsync<T>(path, Json) ?? throw new InvalidOperationException($"no {typeof(T).Name} from {path}");

    /// <summary>A response body as <typeparamref name="T"/>.</summary>
    public static async Task<T> AsAsync<T>(this HttpContent content) =>
        await content.ReadFromJsonAsync<T>(Json) ?? throw new InvalidOperationException($"no {typeof(T).Name} in the response");
}
