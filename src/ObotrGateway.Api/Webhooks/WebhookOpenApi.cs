using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ObotrGateway.Api.Webhooks;

/// <summary>
/// The <c>webhooks</c> section of the OpenAPI document: what the gateway POSTs to a merchant's URL, with the Standard
/// Webhooks headers (ADR 0407), so a generated client or a receiver's validator knows the payload.
/// </summary>
internal sealed class WebhookOpenApi : IOpenApiDocumentTransformer
{
    public const string EventSchema = "TokenUpdatedEvent";

    private const string Example = """
        {"id":"019ad3c4-5e6f-7a80-9b1c-2d3e4f5a6b7c","type":"token.updated","createdAt":"2026-11-22T03:40:02Z","data":{"gatewayToken":"gt_54fa402cef59d90052661daf68a3fa44","status":"SUSPENDED","reason":"DEVICE_LOST","suspendedBy":["ISSUER"],"statusTimestamp":"2026-11-22T03:40:01Z","panSuffix":"0003","tokenPanSuffix":"9620","tokenExpiry":"1129","source":"notification"}}
        """;

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[EventSchema] = await context.GetOrCreateSchemaAsync(typeof(TokenUpdatedEvent), null, cancellationToken);
        document.Webhooks ??= new Dictionary<string, IOpenApiPathItem>();
        document.Webhooks[TokenUpdatedEvents.Type] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Post] = new()
                {
                    OperationId = "TokenUpdatedWebhook",
                    Summary = "A gateway token changed (status, suspension, suffixes or expiry).",
                    Description = "POSTed to the merchant's registered webhook URL once per applied change, at least once: dedupe on "
                        + "webhook-id. Verify it with any Standard Webhooks library and the whsec_ signing secret; it refuses a "
                        + "timestamp older than 5 minutes. Any 2xx acknowledges; anything else is retried with backoff.",
                    Tags = new HashSet<OpenApiTagReference> { new("Webhooks", document) },
                    // The receiver needs no credential from us: authenticity is the webhook-signature header below.
                    Security = [new OpenApiSecurityRequirement()],
                    Parameters =
                    [
                        Header(WebhookSignature.IdHeader, "The event id, the same on every retry of the event (= body id)."),
                        Header(WebhookSignature.TimestampHeader, "Unix seconds when this attempt was sent."),
                        Header(WebhookSignature.SignatureHeader, "Space-separated v1,<base64 HMAC-SHA256 of id.timestamp.body> entries, "
                            + "one per active signing secret (two during a rotation overlap)."),
                    ],
                    RequestBody = new OpenApiRequestBody
                    {
                        Required = true,
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/json"] = new() { Schema = new OpenApiSchemaReference(EventSchema, document), Example = JsonNode.Parse(Example) },
                        },
                    },
                    Responses = new OpenApiResponses
                    {
                        ["2XX"] = new OpenApiResponse { Description = "Received; not sent again." },
                        ["default"] = new OpenApiResponse { Description = "Not received (any other status, a timeout or no connection): retried." },
                    },
                },
            },
        };
    }

    private static OpenApiParameter Header(string name, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = true,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };
}
