using System.Text.Json.Nodes;
using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.Hyperswitch;

internal static class HyperswitchRegistration
{
    public static IServiceCollection AddHyperswitch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<HyperswitchOptions>(configuration, HyperswitchOptions.Section);
        services.AddScoped<HyperswitchKeys>();
        return services;
    }

    public static void MapHyperswitchEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHyperswitchSetupEndpoints();
        app.MapHyperswitchTokenEndpoints();
    }

    /// <summary>The statuses an endpoint fails with, each in Hyperswitch's error shape (<see cref="HyperswitchErrors"/>).</summary>
    public static RouteHandlerBuilder WithErrors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.Produces<HyperswitchError>(status, "application/json");
        }

        return builder;
    }

    /// <summary>
    /// Request and response examples for one endpoint, set on its OpenAPI operation (responses by status code). The four
    /// calls read their bodies leniently (as JSON), so the examples are what tells a reader the shapes.
    /// </summary>
    public static RouteHandlerBuilder WithExamples(this RouteHandlerBuilder builder, string? request, params (string Status, string Body)[] responses) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            foreach (var media in request is null ? [] : operation.RequestBody?.Content?.Values ?? [])
            {
                media.Example = JsonNode.Parse(request!);
            }

            foreach (var (status, body) in responses)
            {
                if (operation.Responses?.TryGetValue(status, out var response) == true && response.Content is { } content)
                {
                    foreach (var media in content.Values)
                    {
                        media.Example = JsonNode.Parse(body);
                    }
                }
            }

            return Task.CompletedTask;
        });
}
