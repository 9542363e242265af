using Microsoft.OpenApi;
using ObotrGateway.MdesSimulator.DigitalEnablement;
using ObotrGateway.MdesSimulator.TestCards;
using Scalar.AspNetCore;

namespace ObotrGateway.MdesSimulator.Hosting;

/// <summary>
/// The simulator's OpenAPI document (/openapi/v1.json) and reference page (/api-reference), linted in CI like the
/// gateway's (docs/api-contract.md). Summaries live in one table rather than on each endpoint: they describe Mastercard's
/// operations, whose shapes are the published specs', not ours.
/// </summary>
internal static class SimulatorOpenApi
{
    public const string OAuthScheme = "MdesOAuth1";
    public const string ReferencePath = "/api-reference";

    private static readonly Dictionary<string, string> Summaries = new(StringComparer.Ordinal)
    {
        ["mdes-tokenize"] = "Tokenize a card (MDES Tokenize): decision, token unique reference and product configuration.",
        ["mdes-transact"] = "Get a token number and a one-time cryptogram for a payment (MDES Transact).",
        ["mdes-getToken"] = "Read one token's state and details (MDES GetToken).",
        ["mdes-searchTokens"] = "List the tokens of a card under the caller's TRID (MDES SearchTokens).",
        ["mdes-suspend"] = "Suspend tokens as token requestor (MDES Suspend).",
        ["mdes-unsuspend"] = "Lift the token requestor's suspension of tokens (MDES Unsuspend).",
        ["mdes-delete"] = "Delete tokens (MDES Delete).",
        ["mdes-getTaskStatus"] = "The status of an asynchronous task (MDES GetTaskStatus).",
        ["mdes-getAsset"] = "A card art or logo asset by id (MDES GetAsset).",
        ["cs-token-suspend"] = "Customer Service API: suspend a token as the issuer.",
        ["cs-token-unsuspend"] = "Customer Service API: lift the issuer's suspension of a token.",
        ["cs-token-comments"] = "Customer Service API: the comments recorded on a token.",
        ["cs-systemstatus"] = "Customer Service API: whether the service is up.",
        ["issuer-search"] = "Issuer console (legacy alias): find tokens by card number or token unique reference.",
        ["issuer-suspend"] = "Issuer console (legacy alias): suspend a token as the issuer.",
        ["issuer-unsuspend"] = "Issuer console (legacy alias): lift the issuer's suspension.",
        ["issuer-delete"] = "Issuer console (legacy alias): delete a token as the issuer.",
        ["issuer-update"] = "Issuer console (legacy alias): change a token's card data (new expiry, new PAN).",
        ["issuer-redigitize"] = "Issuer console (legacy alias): ask the token requestor to redigitize a token.",
        ["issuer-history"] = "Issuer console (legacy alias): a token's status history.",
        ["acquirer-authorize"] = "Acquirer: authorize a payment with a token and cryptogram, or with a card.",
        ["simulator-requests"] = "Sandbox: the last requests the simulator received (no card data).",
        ["simulator-notifications"] = "Sandbox: the NotifyTokenUpdated calls sent and their outcome.",
        ["faults-get"] = "Sandbox: the faults currently injected.",
        ["faults-set"] = "Sandbox: inject faults (latency, errors, timeouts) per operation.",
        ["faults-clear"] = "Sandbox: remove every injected fault.",
    };

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["MDES Digital Enablement"] = "Mastercard MDES for token requestors: OAuth 1.0a signed, field-level encrypted (contract §1).",
        ["Customer Service API"] = "The MDES Customer Service API v2 an issuer uses to manage tokens.",
        ["Issuer console"] = "The legacy issuer console alias and the card-level token status call.",
        ["Acquirer"] = "A minimal acquirer: authorizes payments and checks cryptograms.",
        ["Simulator operations"] = "Sandbox controls: request log, sent notifications, fault injection. Not part of MDES.",
    };

    public static IServiceCollection AddSimulatorOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options => options
            .AddOperationTransformer((operation, context, _) =>
            {
                if (string.IsNullOrEmpty(operation.Summary) && operation.OperationId is { } name && Summaries.TryGetValue(name, out var summary))
                {
                    operation.Summary = summary;
                }

                // MDES operations verify the OAuth 1.0a signature; the issuer, acquirer and sandbox routes take no credentials.
                var signed = context.Description.ActionDescriptor.EndpointMetadata.OfType<MdesOperation>().Any();
                operation.Security = [signed
                    ? new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OAuthScheme, context.Document)] = [] }
                    : new OpenApiSecurityRequirement()];
                return Task.CompletedTask;
            })
            .AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "ObotrGateway MDES simulator";
                document.Info.Description =
                    "Stand-in for Mastercard MDES Digital Enablement (base path /mdes, OAuth 1.0a + field-level encryption), " +
                    "the issuer (the MDES Customer Service API v2 under /mdes/csapi/v2, its legacy alias /issuer, and PUT /cards/{cardContractId}/tokens) and an acquirer (/acquirer/authorizations). " +
                    "See docs/simulator.md.\n\n## Test cards\n\n" + TestCardCatalog.MarkdownTable();
                document.Info.License = new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-Proprietary" };
                // Relative, like the gateway's: the same document whatever host and port served it.
                document.Servers = [new OpenApiServer { Url = "/", Description = "The simulator that served this document." }];

                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[OAuthScheme] = new OpenApiSecurityScheme
                {
                    // OpenAPI has no OAuth 1.0a scheme: the signature travels in the Authorization header.
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = "Authorization",
                    Description = "OAuth 1.0a, RSA-SHA256 with oauth_body_hash, signed with the token requestor's signing key (docs/simulator.md).",
                };
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

                return Task.CompletedTask;
            }));

    public static WebApplication MapSimulatorOpenApi(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(ReferencePath, options => options.WithTitle("ObotrGateway MDES simulator API reference"));
        return app;
    }
}
