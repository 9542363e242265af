using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;

namespace ObotrGateway.MdesSimulator.CustomerService;

/// <summary>The issuer agent named in every request's <c>AuditInfo</c> (required: who acted, for the audit trail).</summary>
internal sealed record AuditInfo(string UserId, string UserName, string Organization, string? Phone);

/// <summary>
/// One request body, wrapped as the spec has it (<c>{"TokenSuspendRequest": {...}}</c>). Readers record the first
/// failure and return null from then on, so an endpoint reads its fields in order and checks <see cref="Problem"/>
/// once. Unknown fields are ignored (the published APIs ask clients and servers to tolerate additions).
/// </summary>
internal sealed class CsInput
{
    private const long MaxBodyBytes = 64 * 1024;

    private readonly JsonObject _body;
    private readonly string _wrapper;

    private CsInput(JsonObject body, string wrapper, IResult? problem)
    {
        _body = body;
        _wrapper = wrapper;
        Problem = problem;
    }

    public IResult? Problem { get; private set; }

    public static async Task<CsInput> ReadAsync(HttpRequest http, string wrapper)
    {
        if (http.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        JsonNode? root;
        try
        {
            // Duplicate names are refused while parsing; left in, they would throw later, on first access.
            root = await JsonNode.ParseAsync(http.Body, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false },
                cancellationToken: http.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return Failed(wrapper, CsErrors.BadRequest("System", CsErrors.InvalidJson, "The body is not valid JSON"));
        }
        catch (BadHttpRequestException)
        {
            return Failed(wrapper, CsErrors.BadRequest("System", CsErrors.InvalidFieldLength, $"The body is larger than {MaxBodyBytes} bytes"));
        }

        if (root is not JsonObject outer || outer[wrapper] is not JsonObject body)
        {
            return Failed(wrapper, CsErrors.BadRequest(wrapper, CsErrors.MissingRequiredField, $"The body must be an object {{\"{wrapper}\": {{...}}}}"));
        }

        return new CsInput(body, wrapper, null);
    }

    public string? Required(string name, int maxLength) => Text(_body, _wrapper + "." + name, name, maxLength, required: true);

    public string? Optional(string name, int maxLength) => Text(_body, _wrapper + "." + name, name, maxLength, required: false);

    /// <summary>A single-letter (or short) code from the published list.</summary>
    public string? Code(string name, IReadOnlyCollection<string> allowed, bool required = true)
    {
        var value = Text(_body, _wrapper + "." + name, name, allowed.Max(a => a.Length), required);
        if (value is not null && !allowed.Contains(value))
        {
            return Fail(name, CsErrors.InvalidFieldValue, $"{name} must be one of {string.Join(", ", allowed)}");
        }

        return value;
    }

    /// <summary>Digits only, <paramref name="minLength"/>–<paramref name="maxLength"/> long (PANs, token numbers).</summary>
    public string? Digits(string name, int minLength, int maxLength, bool required = false)
    {
        var value = Text(_body, _wrapper + "." + name, name, maxLength, required);
        if (value is not null && (value.Length < minLength || !value.All(char.IsAsciiDigit)))
        {
            return Fail(name, CsErrors.InvalidFieldFormat, $"{name} must be {minLength}–{maxLength} digits");
        }

        return value;
    }

    public AuditInfo? Audit()
    {
        if (Problem is not null)
        {
            return null;
        }

        if (_body["AuditInfo"] is not JsonObject audit)
        {
            Fail("AuditInfo", CsErrors.MissingRequiredField, "AuditInfo (UserId, UserName, Organization) is required");
            return null;
        }

        var prefix = _wrapper + ".AuditInfo.";
        var userId = Text(audit, prefix + "UserId", "UserId", 50, required: true);
        var userName = Text(audit, prefix + "UserName", "UserName", 200, required: true);
        var organization = Text(audit, prefix + "Organization", "Organization", 200, required: true);
        var phone = Text(audit, prefix + "Phone", "Phone", 20, required: false);
        return Problem is null ? new AuditInfo(userId!, userName!, organization!, phone) : null;
    }

    public bool Has(string name) => _body[name] is not null;

    public string? Fail(string name, string reasonCode, string description)
    {
        Problem ??= CsErrors.BadRequest(_wrapper + "." + name, reasonCode, description);
        return null;
    }

    private static CsInput Failed(string wrapper, IResult problem) => new([], wrapper, problem);

    private string? Text(JsonObject holder, string source, string name, int maxLength, bool required)
    {
        if (Problem is not null)
        {
            return null;
        }

        var node = holder[name];
        if (node is null)
        {
            if (required)
            {
                Problem = CsErrors.BadRequest(source, CsErrors.MissingRequiredField, $"{name} is required");
            }

            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            Problem = CsErrors.BadRequest(source, CsErrors.InvalidFieldFormat, $"{name} must be a string");
            return null;
        }

        var value = node.GetValue<string>();
        if (value.Length == 0 || value.Length > maxLength)
        {
            Problem = CsErrors.BadRequest(source, CsErrors.InvalidFieldLength, $"{name} must be 1–{maxLength} characters");
            return null;
        }

        return value;
    }
}
