using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ObotrGateway.Api.Hosting;

/// <summary>
/// Request and response examples for the merchant and admin API, keyed by endpoint name (operationId). Kept in one table so
/// the document stays readable; card numbers here are the simulator's public test cards. Every JSON request body needs at
/// least one example here, and each must validate against its schema (OpenApiContractTests).
/// </summary>
internal sealed class OpenApiExamples : IOpenApiOperationTransformer
{
    private const string Token = "gt_54fa402cef59d90052661daf68a3fa44";

    /// <summary>Operation → named request examples (JSON, or the raw text for non-JSON uploads).</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> Requests = new(StringComparer.Ordinal)
    {
        ["CreateMerchant"] = new() { ["merchant"] = """{"name":"Acme Books","tokenRequestorId":"50123456789","tokenizeWhileTransacting":"inline"}""" },
        ["UpdateMerchant"] = new() { ["rename"] = """{"name":"Acme Books Ltd"}""", ["pay-then-store"] = """{"tokenizeWhileTransacting":"after_authorization"}""" },
        ["PutMerchantWebhookAsAdmin"] = new() { ["register"] = """{"url":"https://books.example/hooks/obotr"}""" },
        ["ResyncTokens"] = new() { ["last-ten-minutes"] = """{"olderThan":"00:10:00","limit":100}""" },
        ["AddCard"] = new() { ["card"] = """{"card":{"pan":"5204730000100003","expiryMonth":12,"expiryYear":2031,"securityCode":"123","cardholderName":"JANE ROE"}}""" },
        ["CreatePayment"] = new()
        {
            ["minimal"] = $$"""{"gatewayToken":"{{Token}}","amount":1500,"currency":"EUR"}""",
            ["first-of-a-series"] = $$"""{"gatewayToken":"{{Token}}","amount":1500,"currency":"EUR","recurring":"initial"}""",
            ["pay-and-store-a-card"] = """{"card":{"pan":"5204730000100003","expiryMonth":12,"expiryYear":2031,"securityCode":"123"},"amount":990,"currency":"EUR","storeCard":true}""",
        },
        ["CreateNetworkToken"] = new()
        {
            ["gateway-token"] = $$"""{"gatewayToken":"{{Token}}"}""",
            ["card"] = """{"card":{"pan":"5204730000100003","expiryMonth":12,"expiryYear":2031}}""",
        },
        ["CreateCryptogram"] = new() { ["no-options"] = "{}" },
        ["DeleteGatewayTokens"] = new() { ["two-tokens"] = $$"""{"gatewayTokens":["{{Token}}","gt_0c1d2e3f405162738495a6b7c8d9e0f1"],"reasonCode":"OTHER"}""" },
        ["SuspendGatewayToken"] = new() { ["fraud"] = """{"reason":"Chargeback reported","reasonCode":"SUSPECTED_FRAUD"}""" },
        ["UnsuspendGatewayToken"] = new() { ["not-fraud"] = """{"reasonCode":"NOT_FRAUD"}""" },
        ["SuspendGatewayTokens"] = new() { ["batch"] = $$"""{"gatewayTokens":["{{Token}}"],"reasonCode":"OTHER"}""" },
        ["UnsuspendGatewayTokens"] = new() { ["batch"] = $$"""{"gatewayTokens":["{{Token}}"]}""" },
        ["SearchTokensForCard"] = new() { ["card"] = """{"pan":"5204730000100003","expiryMonth":12,"expiryYear":2031}""" },
        ["PutMerchantWebhook"] = new()
        {
            ["register"] = """{"url":"https://books.example/hooks/obotr"}""",
            ["rotate-secret"] = """{"url":"https://books.example/hooks/obotr","rotateSecret":true}""",
        },
        ["NotifyTokenUpdated"] = new()
        {
            ["ntu"] = """{"requestId":"123456","responseHost":"site2.mastercard.com","encryptedPayload":{"encryptedData":"4545433044323232363739313735443840","encryptedKey":"3b3c4d5e","publicKeyFingerprint":"4c4ead5927f0df8117f178eea9308daa58e27c2b","oaepHashingAlgorithm":"SHA512","iv":"ba574b07248f63756dce778f8a3cc7dd"}}""",
        },
        ["CreateTokenizationJob"] = new()
        {
            ["ndjson"] = """
                {"reference":"c-1","pan":"5204730000100003","expiryMonth":12,"expiryYear":2031,"cardholderName":"JANE ROE"}
                {"reference":"c-2","pan":"5204730000100011","expiryMonth":7,"expiryYear":2030}

                """,
            ["csv"] = """
                reference,pan,expiryMonth,expiryYear,cardholderName
                c-1,5204730000100003,12,2031,JANE ROE

                """,
        },
    };

    /// <summary>Operation → status → a success response example (problem examples are made per code by OpenApiOperations).</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> Responses = new(StringComparer.Ordinal)
    {
        ["CreateMerchant"] = new() { ["201"] = """{"merchantId":"01a2012b-b6ee-7047-bd44-2ad95003f4df","name":"Acme Books","tokenRequestorId":"50123456789","apiKey":"obk_sybyZlVDElhnOVit33psO7X5aHBOuQWauN71zM1L9Bo","createdAt":"2026-11-22T02:52:51Z","tokenizeWhileTransacting":"inline"}""" },
        ["AddCard"] = new() { ["201"] = $$"""{"gatewayToken":"{{Token}}","status":"INACTIVE","decision":"APPROVED","panSuffix":"0003","tokenPanSuffix":"9620","tokenExpiry":"1129","suspendedBy":[],"statusTimestamp":null,"productConfig":{"brandLogoAssetId":"3f1c2a00-0000-4000-8000-000000000001","issuerName":"Obotr Test Bank","foregroundColor":"FFFFFF"},"createdAt":"2026-11-22T03:38:17Z"}""" },
        ["CreatePayment"] = new() { ["201"] = $$"""{"paymentId":"01a20155-5724-73b3-8464-5ef17d9dad1a","status":"authorized","declineReason":null,"gatewayToken":"{{Token}}","networkTokenUsed":true,"amount":1500,"currency":"EUR","recurring":"initial","tokenization":null,"createdAt":"2026-11-22T03:38:19Z"}""" },
        ["CreateNetworkToken"] = new() { ["201"] = $$"""{"gatewayToken":"{{Token}}","tokenNumber":"5204731600014821","expiryMonth":"11","expiryYear":"2029","cryptogram":"0A1B2C3D4E5F60718293A4B5C6D7E8F9","cryptogramType":"UCAF","panSequenceNumber":"01"}""" },
        ["CreateCryptogram"] = new() { ["201"] = $$"""{"gatewayToken":"{{Token}}","tokenNumber":"5204731600014821","expiryMonth":"11","expiryYear":"2029","cryptogram":"0A1B2C3D4E5F60718293A4B5C6D7E8F9","cryptogramType":"UCAF","panSequenceNumber":"01"}""" },
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId is not { } name)
        {
            return Task.CompletedTask;
        }

        if (Requests.TryGetValue(name, out var requests) && operation.RequestBody?.Content is { } requestContent)
        {
            foreach (var (mediaType, media) in requestContent)
            {
                // JSON bodies take every example; an upload format (application/x-ndjson, text/csv) the one named after it.
                var json = mediaType == "application/json";
                media.Examples = requests
                    .Where(example => json || mediaType.EndsWith("/" + example.Key, StringComparison.Ordinal) || mediaType.EndsWith("/x-" + example.Key, StringComparison.Ordinal))
                    .ToDictionary(example => example.Key, example => (IOpenApiExample)new OpenApiExample
                    {
                        Value = json ? JsonNode.Parse(example.Value) : JsonValue.Create(example.Value),
                    }, StringComparer.Ordinal);
            }
        }

        foreach (var (status, body) in Responses.GetValueOrDefault(name) ?? [])
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
