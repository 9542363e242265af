using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using ObotrGateway.Api.Idempotency;
using ObotrGateway.Api.Merchants;

namespace ObotrGateway.Api.Hosting;

/// <summary>
/// What every operation's contract needs and its endpoint file does not say: the security scheme its policy implies, the
/// Idempotency-Key header where the endpoint honours it, and every problem response it can give — the ones its kind of
/// request can always get plus its own (<see cref="OpenApiProblems"/>) — as <see cref="OpenApi.ProblemSchema"/> with one
/// example per code.
/// </summary>
internal sealed class OpenApiOperations : IOpenApiOperationTransformer
{
    private const string ProblemJson = "application/problem+json";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var policies = metadata.OfType<IAuthorizeData>().Select(data => data.Policy).ToHashSet(StringComparer.Ordinal);
        var problems = new List<(int Status, string[] Codes)> { OpenApiProblems.Always };

        var scheme = policies.Contains(MerchantAccess.AdminPolicy) ? OpenApi.AdminSecurityScheme
            : policies.Contains(MerchantAccess.MerchantPolicy) ? OpenApi.MerchantSecurityScheme
            : metadata.OfType<MutualTlsCaller>().Any() ? OpenApi.MdesCallbackSecurityScheme
            : null;
        if (scheme is not null)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] }];
        }

        if (scheme is OpenApi.AdminSecurityScheme or OpenApi.MerchantSecurityScheme)
        {
            problems.AddRange(OpenApiProblems.Authenticated);
        }

        if (scheme is OpenApi.MerchantSecurityScheme)
        {
            problems.Add(OpenApiProblems.MerchantRate);
        }

        if (operation.RequestBody?.Content?.ContainsKey("application/json") == true && scheme is not OpenApi.MdesCallbackSecurityScheme)
        {
            problems.AddRange(OpenApiProblems.JsonBody);
        }

        if (operation.Parameters is { Count: > 0 })
        {
            problems.Add(OpenApiProblems.Parameters);
        }

        if (metadata.OfType<IdempotentEndpointMetadata>().Any())
        {
            problems.AddRange(OpenApiProblems.Idempotent);
            AddIdempotencyKey(operation);
        }

        if (operation.OperationId is { } name && OpenApiProblems.ByOperation.TryGetValue(name, out var own))
        {
            problems.AddRange(own);
        }

        // The Hyperswitch calls answer every problem in Hyperswitch's own error shape (HyperswitchErrors rewrites them).
        var hyperswitch = ("/" + context.Description.RelativePath).StartsWith(Hyperswitch.HyperswitchErrors.PathPrefix + "/", StringComparison.Ordinal);
        operation.Responses ??= new OpenApiResponses();
        foreach (var group in problems.GroupBy(problem => problem.Status))
        {
            var codes = group.SelectMany(problem => problem.Codes).Distinct(StringComparer.Ordinal).ToList();
            operation.Responses[group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = ErrorResponse(group.Key, codes, hyperswitch, context.Document);
        }

        // Statuses an endpoint declared (ProducesProblem) but no rule or table entry explains: the schema is still the
        // problem, but without codes or examples, which the contract tests refuse.
        foreach (var (status, response) in operation.Responses.Where(entry => entry.Key[0] is '4' or '5').ToList())
        {
            if (response.Content?.Values.Any(media => media.Examples is { Count: > 0 }) != true)
            {
                operation.Responses[status] = ErrorResponse(int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), [], hyperswitch, context.Document);
            }
        }

        return Task.CompletedTask;
    }

    private static OpenApiResponse ErrorResponse(int status, List<string> codes, bool hyperswitch, OpenApiDocument? document) =>
        hyperswitch ? HyperswitchErrorResponse(status, codes, document) : ProblemResponse(status, codes, document);

    private static OpenApiResponse HyperswitchErrorResponse(int status, List<string> codes, OpenApiDocument? document) => new()
    {
        Description = ReasonPhrases.GetReasonPhrase(status) + (codes.Count == 0 ? "" : ": " + string.Join(", ", codes.Select(code => $"`{code}`")))
            + " (Hyperswitch's error shape)",
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/json"] = new()
            {
                Schema = new OpenApiSchemaReference(nameof(Hyperswitch.HyperswitchError), document),
                Examples = codes.ToDictionary(code => code, code => (IOpenApiExample)new OpenApiExample
                {
                    Summary = code,
                    Value = new JsonObject
                    {
                        ["error_message"] = ReasonPhrases.GetReasonPhrase(status),
                        ["error_info"] = new JsonObject { ["code"] = code, ["developer_message"] = ReasonPhrases.GetReasonPhrase(status) },
                    },
                }, StringComparer.Ordinal),
            },
        },
    };

    private static OpenApiResponse ProblemResponse(int status, List<string> codes, OpenApiDocument? document) => new()
    {
        Description = ReasonPhrases.GetReasonPhrase(status) + (codes.Count == 0 ? "" : ": " + string.Join(", ", codes.Select(code => $"`{code}`"))),
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [ProblemJson] = new()
            {
                Schema = new OpenApiSchemaReference(OpenApi.ProblemSchema, document),
                Examples = codes.ToDictionary(code => code, code => (IOpenApiExample)new OpenApiExample
                {
                    Summary = code,
                    Value = new JsonObject
                    {
                        ["type"] = Problems.TypePrefix + code,
                        ["title"] = ReasonPhrases.GetReasonPhrase(status),
                        ["status"] = status,
                        ["code"] = code,
                    },
                }, StringComparer.Ordinal),
            },
        },
    };

    private static void AddIdempotencyKey(OpenApiOperation operation)
    {
        operation.Parameters ??= [];
        if (operation.Parameters.Any(parameter => parameter.In == ParameterLocation.Header && parameter.Name == "Idempotency-Key"))
        {
            return;
        }

        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "Idempotency-Key",
            In = ParameterLocation.Header,
            Required = false,
            Description = "Repeat a write safely: the same key with the same body returns the first answer instead of acting twice (ADR 0707). "
                + "Up to 255 characters, no control characters.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 255 },
        });
    }
}

/// <summary>Endpoint metadata: called by MDES over mutual TLS (the NTU callback), described by that scheme.</summary>
internal sealed record MutualTlsCaller;
