using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace ObotrGateway.Api.Hosting;

/// <summary>
/// Wiring for hostile input (docs/security.md ("Hostile input")): Kestrel's limits above the guard's so that the guard, not
/// Kestrel, answers an over-long request (with a body); strict JSON binding; and every binding failure thrown to
/// <see cref="BadRequestHandler"/> in every environment, so malformed input is a problem+json 4xx, never a 500 or an
/// empty 400.
/// </summary>
internal static class HostileInput
{
    public static WebApplicationBuilder AddHostileInputGuard(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Twice the guard's limits: between the two the guard answers with problem+json; Kestrel's own answer
            // beyond them has no body (it is written before the application sees the request).
            kestrel.Limits.MaxRequestLineSize = 2 * RequestGuard.MaxTargetLength;
            kestrel.Limits.MaxRequestHeadersTotalSize = 2 * RequestGuard.MaxHeaderBytes;
        });
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow; // the guard finds these first; this is the backstop
            // The web defaults read numbers from strings ("amount":"1500"); the contract says numbers are numbers, and the
            // OpenAPI schema follows this setting, so a generated client sends numbers (ADR 1001).
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        builder.Services.AddExceptionHandler<BadRequestHandler>();
        return builder;
    }

    public static IApplicationBuilder UseHostileInputGuard(this IApplicationBuilder app) => app.UseMiddleware<RequestGuard>();

    /// <summary>
    /// A body for every empty error answer (unknown route, 401, 405, …). Written directly rather than through the
    /// framework's default, which falls back to text/plain when the client's Accept header does not name JSON.
    /// </summary>
    public static IApplicationBuilder UseProblemStatusCodePages(this IApplicationBuilder app) =>
        app.UseStatusCodePages(context =>
        {
            var status = context.HttpContext.Response.StatusCode;
            return Problems.Create(status, Problems.CodeFor(status), ReasonPhrases.GetReasonPhrase(status)).ExecuteAsync(context.HttpContext);
        });
}

/// <summary>
/// The framework's own refusals (a body that does not bind, a parameter that does not parse, a wrong content type,
/// a body over the limit) arrive as <see cref="BadHttpRequestException"/>; they become problems naming the field.
/// Exception messages are never echoed: they can quote the offending value.
/// </summary>
internal sealed partial class BadRequestHandler(ILogger<BadRequestHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || httpContext.Response.HasStarted)
        {
            return false;
        }

        var problem = For(bad);
        LogRefused(logger, bad.StatusCode, problem.ProblemDetails.Extensions["code"] as string ?? "");
        await problem.ExecuteAsync(httpContext);
        return true;
    }

    internal static ProblemHttpResult For(BadHttpRequestException exception)
    {
        switch (exception.StatusCode)
        {
            case StatusCodes.Status413PayloadTooLarge:
                return Problems.Create(exception.StatusCode, "payload_too_large", "The request body is too large.");
            case StatusCodes.Status415UnsupportedMediaType:
                return Problems.Create(exception.StatusCode, "unsupported_media_type", "Send the body as application/json.");
            case StatusCodes.Status400BadRequest:
                break;
            default:
                return Problems.Create(exception.StatusCode, Problems.CodeFor(exception.StatusCode), "The request could not be read.");
        }

        if (exception.InnerException is JsonException json)
        {
            var field = JsonBodyCheck.FieldOf(json.Path ?? "$");
            return Field(JsonBodyCheck.Malformed, field, $"'{field}' does not hold a value of the expected type and range.");
        }

        if (BindFailure().Match(exception.Message) is { Success: true } bind)
        {
            var name = bind.Groups["name"].Value;
            if (bind.Groups["what"].Value != "Required")
            {
                return Field("invalid_parameter", name, $"'{name}' does not hold a value of the expected type and range.");
            }

            return exception.Message.EndsWith("from body.", StringComparison.Ordinal)
                ? Field("missing_body", "body", "This request needs a JSON body.")
                : Field("missing_parameter", name, $"'{name}' is required.");
        }

        return Problems.Create(StatusCodes.Status400BadRequest, "malformed_request", "The request could not be read.");
    }

    private static ProblemHttpResult Field(string code, string field, string message) =>
        Problems.Validation(code, message, new Dictionary<string, string[]> { [field] = [message] });

    // RequestDelegateFactory's messages: 'Failed to bind parameter "int? limit" from "…".' and
    // 'Required parameter "X request" was not provided from body.' Only the parameter's name is taken.
    [GeneratedRegex("^(?<what>Failed to bind|Required) parameter \"[^\"]* (?<name>[A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex BindFailure();

    [LoggerMessage(Level = LogLevel.Information, Message = "Bad request refused with {Status} {Code}")]
    private static partial void LogRefused(ILogger logger, int status, string code);
}
