using Microsoft.OpenApi;

namespace ObotrGateway.Api.Hosting;

internal static class OpenApi
{
    public const string MerchantSecurityScheme = "MerchantApiKey";
    public const string AdminSecurityScheme = "AdminApiKey";

    /// <summary>The document served at /openapi/v1.json in every environment (merchants integrate from it).</summary>
    public static IServiceCollection AddGatewayOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(options => options.AddOperationTransformer<OpenApiExamples>().AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "ObotrGateway",
                Version = "v1",
                Description = "Payment gateway acting as a Mastercard MDES on-behalf-of token requestor. "
                    + "Merchant endpoints take `Authorization: Bearer <merchant API key>`; admin endpoints take the admin key. "
                    + "Errors are RFC 7807 problem documents with a stable `code`.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[MerchantSecurityScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A merchant's API key, shown once when the merchant is created or its key rotated.",
            };
            document.Components.SecuritySchemes[AdminSecurityScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The operator's admin key (setting Admin__ApiKey).",
            };
            return Task.CompletedTask;
        }));
        return services;
    }
}
