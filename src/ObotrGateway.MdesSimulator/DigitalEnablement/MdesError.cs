using System.Text.Json.Nodes;

namespace ObotrGateway.MdesSimulator.DigitalEnablement;

/// <summary>An MDES application error (contract §4.2) with the HTTP status the simulator answers it with.</summary>
internal sealed record MdesError(int HttpStatus, string ReasonCode, string Description, string Source = "INPUT", bool Recoverable = false)
{
    public static MdesError Missing(string path) => new(400, "MISSING_REQUIRED_FIELD", $"Missing Required Field - {path}");

    public static MdesError Length(string path) => new(400, "INVALID_FIELD_LENGTH", $"Invalid Field Length - {path}");

    public static MdesError Format(string path) => new(400, "INVALID_FIELD_FORMAT", $"Invalid Field Format - {path}");

    public static MdesError Value(string path) => new(400, "INVALID_FIELD_VALUE", $"Invalid Field Value - {path}");

    public static MdesError Unrecognized(string path) => new(400, "UNRECOGNIZED_FIELD", $"Unrecognized Field - {path}");

    public static MdesError InvalidJson(string? path = null) => new(400, "INVALID_JSON", path is null ? "Invalid JSON" : $"Invalid JSON - {path}");

    public static MdesError UnknownToken(string tur) => new(400, "INVALID_TOKEN_UNIQUE_REFERENCE", $"Invalid Token Unique Reference - {tur}", "MDES");

    public static MdesError InvalidStatus(string tur) => new(400, "INVALID_TOKEN_STATUS", $"Invalid Token Status - {tur}", "MDES");

    public static readonly MdesError InvalidTaskId = new(400, "INVALID_TASK_ID", "Invalid Task ID - taskId", "MDES");

    public static readonly MdesError InvalidPan = new(400, "INVALID_PAN", "Invalid PAN", "MDES");

    public static readonly MdesError PanIneligible = new(400, "PAN_INELIGIBLE", "PAN Ineligible", "MDES");

    public static readonly MdesError MissingExpiry = new(400, "MISSING_EXPIRY_DATE", "Missing Expiry Date", "MDES");

    public static readonly MdesError NoResponseFromIssuer = new(504, "NO_RESPONSE_FROM_ISSUER", "No Response From Issuer", "MDES", Recoverable: true);

    public static readonly MdesError InternalFailure = new(500, "INTERNAL_SERVICE_FAILURE", "Internal Service Failure", "MDES", Recoverable: true);

    public static readonly MdesError InvalidPur = new(400, "INVALID_PAN_UNIQUE_REFERENCE", "Invalid PAN Unique Reference", "MDES");

    public static MdesError NotAuthorized(string path) => new(400, "AUTHORIZATION_FAILED", $"Authorization Failed - {path}", "MDES");

    /// <summary>
    /// The published 1.3.0 shapes (contract §4.2): <c>ErrorsResponse</c> = the legacy top-level
    /// <c>errorCode</c>/<c>errorDescription</c> pair, <c>responseHost</c>, <c>responseId</c> and one <c>Errors</c>
    /// object (<c>source, description, reasonCode, recoverable</c>); Transact answers a flat <c>TransactError</c>
    /// (<c>source, errorCode, description, reasonCode, errorDescription</c>). The sandbox was seen sending an
    /// <c>errors</c> array instead; clients are expected to read every form (the gateway does).
    /// </summary>
    public JsonObject ToJson(string responseHost, string responseId, bool transact)
    {
        if (transact)
        {
            return new JsonObject
            {
                ["source"] = Source,
                ["errorCode"] = ReasonCode,
                ["description"] = Description,
                ["reasonCode"] = ReasonCode,
                ["errorDescription"] = Short(Description),
            };
        }

        return new JsonObject
        {
            ["errorCode"] = ReasonCode.Length <= 32 ? ReasonCode : ReasonCode[..32],
            ["errorDescription"] = Short(Description),
            ["responseHost"] = responseHost,
            ["responseId"] = responseId,
            ["Errors"] = new JsonObject
            {
                ["source"] = Source,
                ["description"] = Description,
                ["reasonCode"] = ReasonCode,
                ["recoverable"] = Recoverable,
            },
        };
    }

    // The legacy errorDescription is limited to 32 characters.
    private static string Short(string description)
    {
        var head = description.Split(" - ")[0];
        return head.Length <= 32 ? head : head[..32];
    }
}

/// <summary>Gateway-layer errors (OAuth, throttling) in the PascalCase shape of contract §4.1.</summary>
internal static class GatewayError
{
    public static JsonObject Body(string reasonCode, string description) => new()
    {
        ["Errors"] = new JsonObject
        {
            ["Error"] = new JsonArray(new JsonObject
            {
                ["Source"] = "Gateway",
                ["ReasonCode"] = reasonCode,
                ["Description"] = description,
                ["Recoverable"] = false,
                ["Details"] = null,
            }),
        },
    };
}
