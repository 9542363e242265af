using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Idempotency;

namespace ObotrGateway.Api.Payments.Acquirer;

/// <summary>The <c>Acquirer</c> section.</summary>
internal sealed class AcquirerOptions
{
    public const string Section = "Acquirer";

    [Required(ErrorMessage = "Acquirer:BaseUrl (env Acquirer__BaseUrl) is required, e.g. http://127.0.0.1:5081.")]
    [Url(ErrorMessage = "Acquirer:BaseUrl must be an absolute http(s) URL.")]
    public string BaseUrl { get; set; } = "";

    [Range(typeof(TimeSpan), "00:00:01", "00:02:00", ErrorMessage = "Acquirer:Timeout must be 1 s to 2 min.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Plain http to the acquirer outside Development (a local simulator only); off, boot refuses an http BaseUrl there.</summary>
    public bool AllowHttp { get; set; }
}

/// <summary>Outside Development the acquirer is reached over https only (it receives token numbers, cryptograms and PANs).</summary>
internal sealed class AcquirerOptionsValidator(IHostEnvironment? environment = null) : IValidateOptions<AcquirerOptions>
{
    public ValidateOptionsResult Validate(string? name, AcquirerOptions options) =>
        Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var url)
        && UpstreamTransport.HttpsViolation(environment, url, options.AllowHttp, "Acquirer:BaseUrl", "Acquirer:AllowHttp") is { } violation
            ? ValidateOptionsResult.Fail(violation)
            : ValidateOptionsResult.Success; // a missing or relative URL is reported by the attributes
}

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

internal static class AcquirerRegistration
{
    public static IServiceCollection AddAcquirer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<AcquirerOptions>(configuration, AcquirerOptions.Section);
        services.AddSingleton<IValidateOptions<AcquirerOptions>, AcquirerOptionsValidator>();
        services.AddHttpClient<AcquirerClient>((provider, client) =>
        {
            var options = provider.GetRequiredService<IOptions<AcquirerOptions>>().Value;
            client.BaseAddress = new Uri(options.BaseUrl.TrimEnd('/') + "/");
            client.Timeout = options.Timeout;
        }).MarksExecutionStarted();
        return services;
    }
}
