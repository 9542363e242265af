using System.Text.Json;

namespace ObotrGateway.IntegrationTests.Infrastructure;

// The gateway's answers as a merchant reads them, so a test names the fields it checks instead of walking JSON. They
// are written here from docs/ and the OpenAPI document, not borrowed from the gateway's own view records: a field
// renamed on the wire must fail the tests. A test about whether a field is present at all (or null) reads the JSON.

/// <summary>GET/POST /v1/gateway-tokens.</summary>
internal sealed record GatewayTokenResponse(
    string GatewayToken, string Status, string? Decision, string PanSuffix, string? TokenPanSuffix, string? TokenExpiry,
    IReadOnlyList<string> SuspendedBy, DateTimeOffset? StatusTimestamp, JsonElement? ProductConfig, DateTimeOffset CreatedAt);

/// <summary>GET /v1/gateway-tokens.</summary>
internal sealed record GatewayTokenListResponse(IReadOnlyList<GatewayTokenResponse> GatewayTokens, string? NextBefore);

/// <summary>POST/GET /v1/payments.</summary>
internal sealed record PaymentResponse(
    Guid PaymentId, string Status, string? DeclineReason, string? GatewayToken, bool NetworkTokenUsed, long Amount, string Currency,
    string Recurring, string? Tokenization, DateTimeOffset CreatedAt);

/// <summary>POST /v1/network-tokens and /v1/gateway-tokens/{token}/cryptograms: secrets for one payment elsewhere.</summary>
internal sealed record NetworkTokenResponse(
    string GatewayToken, string TokenNumber, string ExpiryMonth, string ExpiryYear, string Cryptogram, string CryptogramType,
    string PanSequenceNumber);

/// <summary>What became of one token in a delete, suspend or unsuspend (DELETE /v1/gateway-tokens/{token} and the batch forms).</summary>
internal sealed record LifecycleOutcomeResponse(
    string GatewayToken, string Result, string? Status, IReadOnlyList<string>? SuspendedBy, DateTimeOffset? StatusTimestamp, string? Error);

/// <summary>POST /v1/gateway-tokens/delete, /suspend and /unsuspend.</summary>
internal sealed record LifecycleBatchResponse(IReadOnlyList<LifecycleOutcomeResponse> Results, IReadOnlyDictionary<string, int> Counts);

/// <summary>GET /v1/merchant.</summary>
internal sealed record MerchantProfileResponse(Guid MerchantId, string Name, string TokenRequestorId);

/// <summary>GET /v1/admin/merchants.</summary>
internal sealed record MerchantPageResponse(IReadOnlyList<MerchantProfileResponse> Merchants, Guid? NextAfter);

/// <summary>POST /v1/admin/merchants/{id}/rotate-key.</summary>
internal sealed record RotatedKeyResponse(Guid MerchantId, string ApiKey, DateTimeOffset RotatedAt);

/// <summary>An RFC 7807 problem with its stable <c>code</c>; <c>suspendedBy</c> on token_not_active.</summary>
internal sealed record ProblemResponse(string Code, string? Title, int? Status, string? Detail, IReadOnlyList<string>? SuspendedBy);

/// <summary>The simulated acquirer's answer to an authorization (another gateway paying with a hand-off).</summary>
internal sealed record AuthorizationResponse(string Status, string? DeclineReason);

internal static class GatewayResponses
{
    /// <summary>A JSON answer read as <typeparamref name="T"/>, with the web defaults HttpClient's JSON helpers use.</summary>
    public static T As<T>(this JsonElement body) =>
        body.Deserialize<T>(JsonSerializerOptions.Web) ?? throw new InvalidOperationException($"no {typeof(T).Name} in {body}");
}
