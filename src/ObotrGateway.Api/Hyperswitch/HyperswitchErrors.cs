using System.Text.Json;
using System.Text.Json.Serialization;
using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.Hyperswitch;

/// <summary>
/// Every failure of the four Hyperswitch calls in the error body Hyperswitch parses (contract §2):
/// <c>{ "error_message", "error_info": { "code", "developer_message" } }</c>. The endpoints and the shared pipeline
/// (authentication, rate limits, hostile input, exception handler) all answer with our RFC 7807 problems; this one
/// middleware, outermost for <see cref="PathPrefix"/>, rewrites them, so no answer on these paths can slip out in the
/// other shape whoever wrote it (ADR 1103). Status and code stay those of the problem (docs/errors.md).
/// </summary>
internal static class HyperswitchErrors
{
    public const string PathPrefix = "/v1/hyperswitch";

    public const string UnknownKeyId = "unknown_key_id";
    public const string KeyRetired = "key_retired";
    public const string KeyUnavailable = "key_unavailable";

    private static readonly JsonSerializerOptions JsonOptions = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public static IApplicationBuilder UseHyperswitchErrorShape(this IApplicationBuilder app) =>
        app.UseWhen(context => context.Request.Path.StartsWithSegments(PathPrefix), branch => branch.Use(RewriteAsync));

    private static async Task RewriteAsync(HttpContext context, RequestDelegate next)
    {
        // Answers here are small (a JWE or a few fields): buffering them costs little and lets an error be rewritten
        // even when the framework wrote it.
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var response = context.Response;
        if (response.StatusCode >= 400
            && (buffer.Length == 0 || response.ContentType?.StartsWith("application/problem+json", StringComparison.OrdinalIgnoreCase) == true))
        {
            var body = Translate(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), response.StatusCode);
            response.ContentType = "application/json";
            response.ContentLength = body.Length;
            await original.WriteAsync(body, context.RequestAborted);
            return;
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>A problem document (or nothing) as Hyperswitch's error body; field errors go into developer_message.</summary>
    internal static byte[] Translate(ReadOnlySpan<byte> problem, int status)
    {
        string? code = null, title = null, detail = null;
        var fields = new List<string>();
        try
        {
            if (!problem.IsEmpty)
            {
                using var document = JsonDocument.Parse(problem.ToArray());
                var root = document.RootElement;
                code = Text(root, "code");
                title = Text(root, "title");
                detail = Text(root, "detail");
                if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                {
                    foreach (var field in errors.EnumerateObject())
                    {
                        var messages = field.Value.ValueKind == JsonValueKind.Array
                            ? string.Join(" ", field.Value.EnumerateArray().Select(message => message.ToString()))
                            : field.Value.ToString();
                        fields.Add($"{field.Name}: {messages}");
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not a problem document after all: the status alone speaks.
        }

        code ??= Problems.CodeFor(status);
        title ??= Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
        var developerMessage = string.Join(" ", new[] { detail ?? title }.Concat(fields));
        return JsonSerializer.SerializeToUtf8Bytes(new HyperswitchError(title, new HyperswitchErrorInfo(code, developerMessage)), JsonOptions);
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>Hyperswitch's <c>NetworkTokenErrorResponse</c> (snake_case, no rename rule on its side).</summary>
internal sealed record HyperswitchError(
    [property: JsonPropertyName("error_message")] string ErrorMessage,
    [property: JsonPropertyName("error_info")] HyperswitchErrorInfo ErrorInfo);

internal sealed record HyperswitchErrorInfo(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("developer_message")] string DeveloperMessage);
