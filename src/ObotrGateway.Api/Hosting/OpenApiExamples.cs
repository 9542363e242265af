using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ObotrGateway.Api.Hosting;

/// <summary>
/// Request and response examples for the merchant and admin API, keyed by endpoint name. Kept in one table so
/// the document stays readable; card numbers here are the simulator's public test cards.
/// </summary>
internal sealed class OpenApiExamples : IOpenApiOperationTransformer
{
    private static readonly Dictionary<string, (string? Request, Dictionary<string, string> Responses)> Examples = new()
    {
        ["CreateMerchant"] = ("""{"name":"Acme Books","tokenRequestorId":"50123456789","tokenizeWhileTransacting":"inline"}""",
            new() { ["201"] = """{"merchantId":"01a2012b-b6ee-7047-bd44-2ad95003f4df","name":"Acme Books","tokenRequestorId":"50123456789","apiKey":"obk_sybyZlVDElhnOVit33psO7X5aHBOuQWauN71zM1L9Bo","createdAt":"2026-11-22T02:52:51Z","tokenizeWhileTransacting":"inline"}""" }),
        ["AddCard"] = ("""{"card":{"pan":"5204730000100003","expiryMonth":12,"expiryYear":2031,"securityCode":"123","cardholderName":"JANE ROE"}}""",
            new()
            {
                ["201"] = """{"gatewayToken":"gt_54fa402cef59d90052661daf68a3fa44","status":"INACTIVE","decision":"APPROVED","panSuffix":"0003","tokenPanSuffix":"9620","tokenExpiry":"1129","suspendedBy":[],"statusTimestamp":null,"productConfig":{"brandLogoAssetId":"3f1c2a00-0000-4000-8000-000000000001","issuerName":"Obotr Test Bank","foregroundColor":"FFFFFF"},"createdAt":"2026-11-22T03:38:17Z"}""",
                ["400"] = """{"type":"https://obotr-gateway.dev/problems/invalid_card","title":"The request is not valid.","status":400,"detail":"The card was not sent to the network: fix the fields in errors.","code":"invalid_card","errors":{"card.pan":["Fails the Luhn check."]}}""",
                ["422"] = """{"type":"https://obotr-gateway.dev/problems/tokenization_declined","title":"The issuer declined to tokenize this card.","status":422,"code":"tokenization_declined"}""",
                ["503"] = """{"type":"https://obotr-gateway.dev/problems/network_unavailable","title":"The card network is unavailable or busy.","status":503,"code":"network_unavailable","retryAfterSeconds":1}""",
            }),
        ["CreatePayment"] = ("""{"gatewayToken":"gt_54fa402cef59d90052661daf68a3fa44","amount":1500,"currency":"EUR","recurring":"initial"}""",
            new()
            {
                ["201"] = """{"paymentId":"01a20155-5724-73b3-8464-5ef17d9dad1a","status":"authorized","declineReason":null,"gatewayToken":"gt_54fa402cef59d90052661daf68a3fa44","networkTokenUsed":true,"amount":1500,"currency":"EUR","recurring":"initial","tokenization":null,"createdAt":"2026-11-22T03:38:19Z"}""",
                ["409"] = """{"type":"https://obotr-gateway.dev/problems/token_not_active","title":"The gateway token is not active.","status":409,"code":"token_not_active","tokenStatus":"SUSPENDED","suspendedBy":["ISSUER"]}""",
            }),
        ["CreateNetworkToken"] = ("""{"gatewayToken":"gt_54fa402cef59d90052661daf68a3fa44"}""",
            new() { ["201"] = """{"gatewayToken":"gt_54fa402cef59d90052661daf68a3fa44","tokenNumber":"5204731600014821","expiryMonth":"11","expiryYear":"2029","cryptogram":"0A1B2C3D4E5F60718293A4B5C6D7E8F9","cryptogramType":"UCAF","panSequenceNumber":"01"}""" }),
        ["CreateCryptogram"] = (null,
            new() { ["201"] = """{"gatewayToken":"gt_54fa402cef59d90052661daf68a3fa44","tokenNumber":"5204731600014821","expiryMonth":"11","expiryYear":"2029","cryptogram":"0A1B2C3D4E5F60718293A4B5C6D7E8F9","cryptogramType":"UCAF","panSequenceNumber":"01"}""" }),
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId is not { } name || !Examples.TryGetValue(name, out var example))
        {
            return Task.CompletedTask;
        }

        if (example.Request is not null && operation.RequestBody?.Content is { } requestContent)
        {
            foreach (var media in requestContent.Values)
            {
                media.Example = JsonNode.Parse(example.Request);
            }
        }

        foreach (var (status, body) in example.Responses)
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
    }
}
