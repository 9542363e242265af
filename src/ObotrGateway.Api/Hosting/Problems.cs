using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ObotrGateway.Api.Hosting;

/// <summary>
/// RFC 7807 responses. Every problem carries a stable machine-readable <c>code</c>; clients branch on it,
/// never on <c>title</c> or <c>detail</c>. The catalogue is docs/errors.md; the problems more than one feature answers
/// are defined once, here.
/// </summary>
internal static class Problems
{
    public const string TypePrefix = "https://obotr-gateway.dev/problems/";

    public static ProblemHttpResult Create(int status, string code, string title, string? detail = null,
        IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = code };
        return TypedResults.Problem(detail, statusCode: status, title: title, type: TypePrefix + code, extensions: all);
    }

    public static ProblemHttpResult Validation(string code, string detail, IDictionary<string, string[]>? errors = null) =>
        Create(StatusCodes.Status400BadRequest, code, "The request is not valid.", detail,
            errors is null ? null : new Dictionary<string, object?> { ["errors"] = errors });

    /// <summary>404: no such gateway token for the calling merchant (another merchant's looks the same).</summary>
    public static ProblemHttpResult GatewayTokenNotFound() =>
        Create(StatusCodes.Status404NotFound, "gateway_token_not_found", "No such gateway token.");

    /// <summary>409, one shape for "this token cannot be used now", wherever it is found out.</summary>
    public static ProblemHttpResult TokenNotActive(string gatewayToken, string status, IReadOnlyList<string> suspendedBy, string? detail = null) =>
        Create(StatusCodes.Status409Conflict, "token_not_active", "The gateway token is not active.",
            detail ?? $"Its status is {status}" + (suspendedBy.Count > 0 ? $", suspended by {string.Join(", ", suspendedBy)}." : "."),
            new Dictionary<string, object?> { ["gatewayToken"] = gatewayToken, ["tokenStatus"] = status, ["suspendedBy"] = suspendedBy });

    /// <summary>503 with Retry-After: MDES unreachable, failing, or our TPS cap for this TRID is full.</summary>
    public static ProblemHttpResult NetworkUnavailable(TimeSpan retryAfter) =>
        Create(StatusCodes.Status503ServiceUnavailable, "network_unavailable",
            "The card network is unavailable or busy.", "Nothing was changed. Retry after the Retry-After delay (same Idempotency-Key is fine).",
            new Dictionary<string, object?> { ["retryAfterSeconds"] = RetryAfterSeconds(retryAfter) });

    /// <summary>502: MDES refused the operation for a reason retrying will not fix (e.g. it does not know the token); nothing changed.</summary>
    public static ProblemHttpResult NetworkError(string? reasonCode) =>
        Create(StatusCodes.Status502BadGateway, "network_error", "The card network refused the request.",
            reasonCode is null ? "Nothing was changed." : $"MDES reason {reasonCode}. Nothing was changed.",
            reasonCode is null ? null : new Dictionary<string, object?> { ["reasonCode"] = reasonCode });

    /// <summary>422: MDES rejected the card data (e.g. INVALID_PAN); nothing was stored.</summary>
    public static ProblemHttpResult CardRejected(string reasonCode) =>
        Create(StatusCodes.Status422UnprocessableEntity, "card_rejected", "The network rejected the card data.",
            $"MDES reason {reasonCode}. Nothing was stored.");

    /// <summary>400: the card failed local checks; nothing was sent to the network.</summary>
    public static ProblemHttpResult InvalidCard(IDictionary<string, string[]> errors) =>
        Validation("invalid_card", "The card was not sent to the network: fix the fields in errors.", errors);

    public static int RetryAfterSeconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));

    /// <summary>Endpoint filter: copies retryAfterSeconds of a 503 problem into the Retry-After header.</summary>
    public static async ValueTask<object?> RetryAfterHeader(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if ((result is INestedHttpResult nested ? nested.Result : result) is ProblemHttpResult { StatusCode: StatusCodes.Status503ServiceUnavailable } problem
            && problem.ProblemDetails.Extensions.TryGetValue("retryAfterSeconds", out var seconds) && seconds is int value)
        {
            context.HttpContext.Response.Headers.RetryAfter = value.ToString(CultureInfo.InvariantCulture);
        }

        return result;
    }

    /// <summary>The code of a problem the framework or the server raised itself, by status.</summary>
    public static string CodeFor(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "malformed_request",
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
        StatusCodes.Status408RequestTimeout => "request_timeout",
        StatusCodes.Status413PayloadTooLarge => "payload_too_large",
        StatusCodes.Status414UriTooLong => "uri_too_long",
        StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "headers_too_large",
        >= 500 => "internal_error",
        _ => "error",
    };

    public static IServiceCollection AddApiProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Problems the framework raises itself (bad JSON, body too large, unknown route, auth) get a code too.
            var details = context.ProblemDetails;
            if (details.Extensions.ContainsKey("code"))
            {
                return;
            }

            var code = CodeFor(details.Status ?? StatusCodes.Status500InternalServerError);
            details.Extensions["code"] = code;
            details.Type = TypePrefix + code;
            // Exception messages can carry anything (even card data from a parser): never echo them.
            if (details.Status >= 500)
            {
                details.Detail = null;
            }
        });
        return services;
    }
}
