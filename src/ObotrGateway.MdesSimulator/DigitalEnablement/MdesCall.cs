using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ObotrGateway.MdesSimulator.Security;

namespace ObotrGateway.MdesSimulator.DigitalEnablement;

/// <summary>Marks an endpoint as an MDES operation (name used by faults and the request log).</summary>
internal sealed record MdesOperation(string Name);

/// <summary>One authenticated MDES call: the verified requestor, the exact body bytes, and what the request log keeps.</summary>
internal sealed class MdesCall(string operation, TokenRequestor requestor, byte[] body, string responseHost)
{
    public string Operation { get; } = operation;

    public TokenRequestor Requestor { get; } = requestor;

    public byte[] Body { get; } = body;

    public string ResponseId { get; } = "sim-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public string ResponseHost { get; } = responseHost;

    public string? RequestId { get; set; }

    public string? TokenRequestorId { get; set; }

    public List<string> TokenUniqueReferences { get; } = [];

    public string Result { get; private set; } = "OK";

    public int HttpStatus { get; private set; } = 200;

    public static MdesCall Of(HttpContext http) => (MdesCall)http.Items[typeof(MdesCall)]!;

    /// <summary>Parses the body as a JSON object; duplicate or malformed members are INVALID_JSON.</summary>
    public MdesError? TryParse(out JsonObject json)
    {
        json = [];
        try
        {
            if (JsonNode.Parse(Body) is not JsonObject obj)
            {
                return MdesError.InvalidJson();
            }

            _ = obj.Count;
            json = obj;
            RequestId = json["requestId"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null;
            return null;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            return MdesError.InvalidJson();
        }
    }

    /// <summary>Success body, starting with <c>responseHost</c>/<c>responseId</c> unless the operation defines none.</summary>
    public JsonObject NewResponse(bool withResponseHost = true)
    {
        var json = new JsonObject();
        if (withResponseHost)
        {
            json["responseHost"] = ResponseHost;
        }

        json["responseId"] = ResponseId;
        return json;
    }

    public static IResult Ok(JsonObject body) => TypedResults.Json(body, statusCode: 200);

    public IResult Fail(MdesError error)
    {
        Result = error.ReasonCode;
        HttpStatus = error.HttpStatus;
        return TypedResults.Json(error.ToJson(ResponseHost, ResponseId, transact: Operation == "transact"), statusCode: error.HttpStatus);
    }
}
