using Microsoft.Net.Http.Headers;

namespace ObotrGateway.Api.Hosting;

/// <summary>
/// Response headers every answer carries. Almost every gateway response holds, or may hold, something secret (a
/// token number, a cryptogram, an API key, a webhook secret, a stored response replayed under an Idempotency-Key,
/// a problem naming a gateway token), so <c>Cache-Control: no-store</c> is the default and an endpoint that wants
/// caching (card art, an immutable image) says so itself. Deciding it per endpoint would make the next endpoint
/// that returns a secret cacheable by a forgotten line.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>No <c>Server: Kestrel</c>: it tells a scanner which parser bugs to try and tells a client nothing.</summary>
    public static WebApplicationBuilder AddSecurityHeaders(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        return builder;
    }

    /// <summary>First in the pipeline, so error pages, replays and short-circuited answers get the headers too.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var response = context.Response;
        response.OnStarting(() =>
        {
            // Browsers must not guess a JSON body (which may echo merchant input) into HTML or script.
            response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
            if (!response.Headers.ContainsKey(HeaderNames.CacheControl))
            {
                response.Headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        });
        return next(context);
    });
}
