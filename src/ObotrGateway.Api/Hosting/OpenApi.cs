using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace ObotrGateway.Api.Hosting;

/// <summary>
/// The document served at /openapi/v1.json in every environment (merchants integrate from it, and CI lints it and
/// generates a client from it: docs/api-contract.md). Endpoint files carry only their own metadata (name, summary,
/// description, produced statuses); everything the contract needs on every operation — security, the problem responses
/// every request can get, examples, accurate request schemas — is added here, by rule, so an endpoint added later gets it
/// too and the contract tests catch what a rule cannot know.
/// </summary>
internal static class OpenApi
{
    public const string MerchantSecurityScheme = "MerchantApiKey";
    public const string AdminSecurityScheme = "AdminApiKey";
    public const string MdesCallbackSecurityScheme = "MdesMutualTls";
    public const string ProblemSchema = "Problem";

    /// <summary>Where the API reference page (Scalar) is served; README names it.</summary>
    public const string ReferencePath = "/api-reference";

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Admin"] = "The operator's API: merchants and their keys, webhooks on a merchant's behalf, token resync. Admin key.",
        ["Merchant"] = "The calling merchant's own profile (a cheap way to check a key).",
        ["Gateway tokens"] = "Add a card (tokenize it with MDES under the merchant's Token Requestor ID) and read gateway tokens.",
        ["Payments"] = "Authorize payments with a gateway token (token + cryptogram) or a card.",
        ["Network tokens"] = "Hand a token and a one-time cryptogram to another gateway or acquirer.",
        ["Token lifecycle"] = "Delete, suspend and unsuspend gateway tokens, one or up to 500 at a time.",
        ["Customer service"] = "Which MDES tokens exist for a card under the merchant's TRID.",
        ["Card art"] = "The card image and icon to show for a gateway token.",
        ["Bulk tokenization"] = "Card-on-file migration: upload many cards, follow the job, read its items.",
        ["Webhooks"] = "Where token.updated events go, signed in the Standard Webhooks format; the delivery log.",
        ["MDES callbacks"] = "Called by Mastercard MDES, not by merchants: token state changes (NTU).",
        ["Hyperswitch"] = "ObotrGateway as Hyperswitch's network-tokenization service: the set-up and the four calls Hyperswitch makes "
            + "(errors in Hyperswitch's shape; docs/hyperswitch.md).",
    };

    public static IServiceCollection AddGatewayOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(options => options
            .AddSchemaTransformer<OpenApiSchemas>()
            .AddOperationTransformer<OpenApiOperations>()
            .AddOperationTransformer<OpenApiExamples>()
            .AddDocumentTransformer((document, _, _) =>
            {
                ShapeDocument(document);
                return Task.CompletedTask;
            }));
        return services;
    }

    /// <summary>The document and its reference page, both anonymous in every environment (they describe, they hold no data).</summary>
    public static WebApplication MapGatewayOpenApi(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(ReferencePath, options => options.WithTitle("ObotrGateway API reference"));
        return app;
    }

    private static void ShapeDocument(OpenApiDocument document)
    {
        document.Info = new OpenApiInfo
        {
            Title = "ObotrGateway",
            Version = "v1",
            Description = "Payment gateway acting as a Mastercard MDES on-behalf-of token requestor. "
                + "Merchant endpoints take `Authorization: Bearer <merchant API key>`; admin endpoints take the admin key. "
                + "Every write accepts `Idempotency-Key`. Errors are RFC 7807 problem documents (`application/problem+json`) with a "
                + "stable `code`: each response lists the codes it can carry; the catalogue is docs/errors.md. Limits every request "
                + "shares (no response listed per operation): 414 `uri_too_long`, 431 `headers_too_large`, 408 `request_timeout`, "
                + "404 `not_found` and 405 `method_not_allowed` for unknown routes and methods.",
            License = new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-Proprietary" },
        };
        // Relative: the host that served the document, whatever name or proxy it was reached through. The framework would
        // write the address of the request instead, which makes the document (and a client generated from it) differ
        // from one host and port to the next.
        document.Servers = [new OpenApiServer { Url = "/", Description = "The gateway that served this document." }];

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
        document.Components.SecuritySchemes[MdesCallbackSecurityScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.MutualTLS,
            Description = "MDES presents its client certificate, pinned by thumbprint (Notifications__AllowedClientCertificateThumbprints); "
                + "required outside Development (docs/security.md, ADR 0404).",
        };

        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = Problem();
        // The framework's own ProblemDetails schema is replaced by Problem on every response (OpenApiOperations).
        document.Components.Schemas.Remove("ProblemDetails");
        OpenApiSchemas.RemoveNullFromRequests(document);

        document.Tags ??= new HashSet<OpenApiTag>();
        foreach (var (name, description) in TagDescriptions)
        {
            if (document.Tags.FirstOrDefault(tag => tag.Name == name) is { } existing)
            {
                existing.Description = description;
            }
            else
            {
                document.Tags.Add(new OpenApiTag { Name = name, Description = description });
            }
        }
    }

    /// <summary>RFC 7807 with our <c>code</c>; <c>code</c> lists every code the document's operations declare.</summary>
    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 7807 problem document. Branch on `code`, never on `title` or `detail` (docs/errors.md). Some problems carry "
            + "more members: `errors` (field → messages), `retryAfterSeconds`, `tokenStatus`, `suspendedBy`.",
        Required = new HashSet<string> { "type", "title", "status", "code" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri", Description = Problems.TypePrefix + "<code>" },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "For humans; may change." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status." },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "For humans; may change." },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Finds the request in the gateway's logs." },
            ["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "Stable machine-readable code (docs/errors.md).",
                Enum = [.. OpenApiProblems.AllCodes().Select(code => (JsonNode)JsonValue.Create(code))],
            },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Field (JSON path) → messages, on validation problems.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
            ["retryAfterSeconds"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "As the Retry-After header." },
        },
    };
}
