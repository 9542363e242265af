using System.Text.Json;

namespace ObotrGateway.Api.Payments.Acquirer;

/// <summary>What we send for one authorization. Holds a token number or PAN and a cryptogram: never log it.</summary>
internal sealed record AuthorizationRequest(
    string? TokenNumber,
    string? Pan,
    string ExpiryMonth,
    string ExpiryYear,
    string? Cryptogram,
    string? Sli,
    long Amount,
    string Currency)
{
    public override string ToString() => nameof(AuthorizationRequest);
}

internal sealed record AuthorizationResult(bool Approved, string? AuthorizationId, string? DeclineReason);

/// <summary>
/// Authorizations at the acquirer. An authorization is not idempotent, so there is no retry: a failure is
/// reported as such and the payment is recorded as declined with reason <c>acquirer_unavailable</c>.
/// </summary>
internal sealed partial class AcquirerClient(HttpClient http, ILogger<AcquirerClient> logger)
{
    /// <summary>Decline reason when the acquirer could not be reached (the payment's outcome there is unknown).</summary>
    public const string Unavailable = "acquirer_unavailable";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task<AuthorizationResult> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.PostAsJsonAsync("acquirer/authorizations", request, Json, cancellationToken);
            var body = await response.Content.ReadFromJsonAsync<AcquirerResponse>(Json, cancellationToken);
            if (response.IsSuccessStatusCode && body?.Status is "approved" or "declined")
            {
                return new AuthorizationResult(body.Status == "approved", body.AuthorizationId, body.DeclineReason);
            }

            LogAcquirerRefused((int)response.StatusCode, body?.ReasonCode);
            return new AuthorizationResult(false, null, body?.ReasonCode ?? "acquirer_error");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            LogAcquirerUnavailable(exception.GetType().Name);
            return new AuthorizationResult(false, null, Unavailable);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acquirer refused the request: HTTP {Status} {ReasonCode}")]
    private partial void LogAcquirerRefused(int status, string? reasonCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acquirer unavailable ({ExceptionType})")]
    private partial void LogAcquirerUnavailable(string exceptionType);

    private sealed record AcquirerResponse(string? AuthorizationId, string? Status, string? DeclineReason, string? ReasonCode);
}
