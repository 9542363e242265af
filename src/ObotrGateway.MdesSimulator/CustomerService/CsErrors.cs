using System.Text.Json.Nodes;

namespace ObotrGateway.MdesSimulator.CustomerService;

/// <summary>
/// Every Customer Service refusal, in the published envelope <c>{"Errors":{"Error":[{Source, ReasonCode,
/// Description, Recoverable}]}}</c>. <c>Source</c> names the field in error (<c>TokenSuspendRequest.ReasonCode</c>)
/// or <c>System</c>, as the 2.0.7 spec describes it.
/// </summary>
internal static class CsErrors
{
    public const string InvalidJson = "INVALID_JSON";
    public const string MissingRequiredField = "MISSING_REQUIRED_FIELD";
    public const string InvalidFieldFormat = "INVALID_FIELD_FORMAT";
    public const string InvalidFieldLength = "INVALID_FIELD_LENGTH";
    public const string InvalidFieldValue = "INVALID_FIELD_VALUE";
    public const string EmptyResult = "EMPTY_RESULT";
    public const string InvalidTokenStatus = "INVALID_TOKEN_STATUS";
    public const string FunctionNotSupported = "FUNCTION_NOT_SUPPORTED";
    public const string RateLimitExceeded = "RATE_LIMIT_EXCEEDED";

    public static IResult Error(int status, string source, string reasonCode, string description, bool recoverable = false) =>
        TypedResults.Json(Envelope(source, reasonCode, description, recoverable), statusCode: status);

    public static IResult BadRequest(string source, string reasonCode, string description) =>
        Error(StatusCodes.Status400BadRequest, source, reasonCode, description);

    public static IResult UnknownToken(string source) =>
        Error(StatusCodes.Status404NotFound, source, EmptyResult, "No token matches the request");

    /// <summary>The operation is not allowed in the token's status (the seeds' status × operation table); nothing changed.</summary>
    public static IResult WrongStatus(string source, string status) =>
        Error(StatusCodes.Status409Conflict, source, InvalidTokenStatus, $"The operation is not allowed while the token is {status}");

    public static JsonObject Envelope(string source, string reasonCode, string description, bool recoverable) => new()
    {
        ["Errors"] = new JsonObject
        {
            ["Error"] = new JsonArray(new JsonObject
            {
                ["Source"] = source,
                ["ReasonCode"] = reasonCode,
                ["Description"] = description,
                ["Recoverable"] = recoverable ? "TRUE" : "FALSE",
            }),
        },
    };
}
