using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using ObotrGateway.Api.Notifications;

namespace ObotrGateway.Api.Hosting;

/// <summary>
/// Hostile input stops here, before authentication's database lookups, idempotency claims and handlers: an over-long
/// target or header block (414/431), a charset other than UTF-8 (415), unacceptable text in the query string or a
/// route value (400), and for JSON bodies the strict-body check of <see cref="JsonBodyCheck"/> (400). Every answer
/// is problem+json with a code naming the field. The MDES callback is left alone: it reads its own raw body, must
/// tolerate fields MDES adds, and has its own rules (docs/notifications.md).
/// </summary>
internal sealed partial class RequestGuard(RequestDelegate next, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, ILogger<RequestGuard> logger)
{
    /// <summary>Below Kestrel's own limits (<see cref="HostileInput.AddHostileInputGuard"/>), so these answers can carry a body.</summary>
    public const int MaxTargetLength = 8 * 1024;

    public const int MaxHeaderBytes = 32 * 1024;

    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is RouteEndpoint { RoutePattern.RawText: NotifyTokenUpdatedEndpoints.Route })
        {
            await next(context);
            return;
        }

        var problem = Structural(context.Request);
        if (problem is null && endpoint?.Metadata.GetMetadata<IAcceptsMetadata>() is { RequestType: { } type } accepts
            && accepts.ContentTypes.Any(IsJson) && HasJsonBody(context.Request))
        {
            problem = await CheckBodyAsync(context, type, accepts.IsOptional);
        }

        if (problem is null)
        {
            await next(context);
            return;
        }

        LogRefused(logger, problem.Code); // never the field: a member name is the caller's text and could be anything
        var status = problem.Code switch
        {
            "uri_too_long" => StatusCodes.Status414UriTooLong,
            "headers_too_large" => StatusCodes.Status431RequestHeaderFieldsTooLarge,
            "unsupported_charset" => StatusCodes.Status415UnsupportedMediaType,
            _ => StatusCodes.Status400BadRequest,
        };
        var errors = new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [problem.Field] = [problem.Message] } };
        await Problems.Create(status, problem.Code, "The request was refused before it was processed.", problem.Message, errors)
            .ExecuteAsync(context);
    }

    private static BodyFinding? Structural(HttpRequest request)
    {
        if ((request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0) > MaxTargetLength)
        {
            return new BodyFinding("uri_too_long", "target", $"The path and query string together must stay under {MaxTargetLength} characters.");
        }

        if (request.Headers.Sum(header => header.Key.Length + header.Value.Sum(value => value?.Length ?? 0) + 4) > MaxHeaderBytes)
        {
            return new BodyFinding("headers_too_large", "headers", $"The request headers together must stay under {MaxHeaderBytes} bytes.");
        }

        if (HasForeignCharset(request))
        {
            // RFC 8259 §8.1: JSON between systems is UTF-8. Other charsets would be transcoded (or, like UTF-7, fail inside the framework).
            return new BodyFinding("unsupported_charset", "Content-Type", "Send the body as UTF-8 (charset=utf-8, or no charset).");
        }

        if (InputText.FirstUnacceptableQueryParameter(request.QueryString.Value) is { } parameter)
        {
            return new BodyFinding(JsonBodyCheck.InvalidCharacters, parameter,
                "Query parameters must be percent-encoded UTF-8 without NUL or other control characters.");
        }

        foreach (var (name, value) in request.RouteValues)
        {
            if (value is string text && !InputText.IsAcceptable(text))
            {
                return new BodyFinding(JsonBodyCheck.InvalidCharacters, name, "Path segments must not hold NUL or other control characters.");
            }
        }

        return null;
    }

    private async Task<BodyFinding?> CheckBodyAsync(HttpContext context, Type type, bool optional)
    {
        // Buffered so the binder (and the idempotency fingerprint) read the same bytes afterwards. Kestrel's body
        // limit still applies: an over-long body throws BadHttpRequestException (413), answered by BadRequestHandler.
        context.Request.EnableBuffering();
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        context.Request.Body.Position = 0;
        if (body.Length == 0)
        {
            return optional ? null : new BodyFinding("missing_body", "body", "This request needs a JSON body.");
        }

        return JsonBodyCheck.Check(body.GetBuffer().AsSpan(0, (int)body.Length), _json.GetTypeInfo(type));
    }

    /// <summary>
    /// A charset parameter naming anything but UTF-8 (quoted or not, any case). A UTF-8 one is rewritten unquoted:
    /// the framework's JSON reader looks a quoted name up as is and fails with a 500.
    /// </summary>
    internal static bool HasForeignCharset(HttpRequest request)
    {
        if (request.ContentType is not { } contentType || !MediaTypeHeaderValue.TryParse(contentType, out var media) || !media.Charset.HasValue)
        {
            return false;
        }

        var charset = HeaderUtilities.RemoveQuotes(media.Charset).Value;
        if (!string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase) && !string.Equals(charset, "utf8", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        media.Charset = "utf-8";
        request.ContentType = media.ToString();
        return false;
    }

    private static bool HasJsonBody(HttpRequest request) => request.HasJsonContentType();

    private static bool IsJson(string contentType) => contentType.Contains("json", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request refused before processing: {Code}")]
    private static partial void LogRefused(ILogger logger, string code);
}
