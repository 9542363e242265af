using Microsoft.AspNetCore.Http.HttpResults;

namespace ObotrGateway.Api.Hosting;

/// <summary>
/// RFC 7807 responses. Every problem carries a stable machine-readable <c>code</c>; clients branch on it,
/// never on <c>title</c> or <c>detail</c>. The catalogue is docs/errors.md.
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
