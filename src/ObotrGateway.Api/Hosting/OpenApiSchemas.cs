using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ObotrGateway.Api.Hosting;

/// <summary>
/// Schemas that say what the endpoints accept. Request records declare every member nullable on purpose — the handler
/// validates and answers with our problem codes, not the binder — so the generated schema would mark every member both
/// required and nullable, and the smallest valid payment would fail it. For request types (named <c>…Request</c> or
/// <c>…Input</c>) the contract is instead: required = the members marked <see cref="RequiredAttribute"/>, and no member or
/// list item accepts null (sending null means nothing a client should rely on). <see cref="AllowedValuesAttribute"/> becomes
/// an enum on any type. Lengths, ranges and patterns come from the other data annotations, which the framework maps itself.
/// </summary>
internal sealed class OpenApiSchemas : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is { } property)
        {
            if (property.AttributeProvider?.GetCustomAttributes(typeof(AllowedValuesAttribute), true) is [AllowedValuesAttribute allowed, ..])
            {
                var values = allowed.Values.Select(value => JsonValue.Create(value?.ToString())).Cast<JsonNode?>().ToList();
                if (schema.Type?.HasFlag(JsonSchemaType.Null) == true && !IsRequest(property.DeclaringType))
                {
                    values.Add(null);
                }

                schema.Enum = values!;
            }
        }

        var type = context.JsonTypeInfo.Type;
        if (!IsRequest(type) || schema.Properties is null)
        {
            return Task.CompletedTask;
        }

        schema.Required = context.JsonTypeInfo.Properties
            .Where(member => member.AttributeProvider?.IsDefined(typeof(RequiredAttribute), true) == true)
            .Select(member => member.Name)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var name in schema.Properties.Keys.ToList())
        {
            schema.Properties[name] = NotNull(schema.Properties[name]);
        }

        return Task.CompletedTask;
    }

    private static bool IsRequest(Type type) => IsRequest(type.Name);

    private static bool IsRequest(string name) => name.EndsWith("Request", StringComparison.Ordinal) || name.EndsWith("Input", StringComparison.Ordinal);

    /// <summary>
    /// The framework wraps a nullable member that refers to another schema in <c>oneOf: [null, $ref]</c> only when it
    /// writes the components, after the schema transformers ran: the document transformer removes those from request types.
    /// </summary>
    public static void RemoveNullFromRequests(OpenApiDocument document)
    {
        foreach (var (name, component) in document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (IsRequest(name) && component is OpenApiSchema { Properties: { } properties })
            {
                foreach (var member in properties.Keys.ToList())
                {
                    properties[member] = NotNull(properties[member]);
                }
            }
        }
    }

    /// <summary>The schema without its null alternative: <c>type: [null, x]</c> → <c>x</c>; <c>oneOf: [null, $ref]</c> → <c>$ref</c>.</summary>
    private static IOpenApiSchema NotNull(IOpenApiSchema member)
    {
        if (member is not OpenApiSchema schema)
        {
            return member;
        }

        if (schema.OneOf is { Count: 2 } alternatives && alternatives.SingleOrDefault(IsNullOnly) is { } nullAlternative)
        {
            return NotNull(alternatives.Single(alternative => !ReferenceEquals(alternative, nullAlternative)));
        }

        if (schema.Type is { } flags && flags != JsonSchemaType.Null)
        {
            schema.Type = flags & ~JsonSchemaType.Null;
        }

        if (schema.Items is not null)
        {
            schema.Items = NotNull(schema.Items);
        }

        return schema;
    }

    private static bool IsNullOnly(IOpenApiSchema schema) => schema is OpenApiSchema { Type: JsonSchemaType.Null };
}
