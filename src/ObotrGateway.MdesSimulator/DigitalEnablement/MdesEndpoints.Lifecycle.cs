using System.Text.Json.Nodes;
using ObotrGateway.MdesSimulator.Tokens;

namespace ObotrGateway.MdesSimulator.DigitalEnablement;

internal static partial class MdesEndpoints
{
    public static IResult Suspend(HttpContext http, MdesServices s) => Lifecycle(http, s, MdesShapes.Suspend, TokenAction.Suspend);

    public static IResult Unsuspend(HttpContext http, MdesServices s) => Lifecycle(http, s, MdesShapes.Unsuspend, TokenAction.Unsuspend);

    public static IResult Delete(HttpContext http, MdesServices s) => Lifecycle(http, s, MdesShapes.Delete, TokenAction.Delete);

    /// <summary>Token-requestor-initiated changes: the requestor's own hold, and no NTU (it made the change).</summary>
    private static IResult Lifecycle(HttpContext http, MdesServices s, RequestShape shape, TokenAction action)
    {
        var call = MdesCall.Of(http);
        var error = call.TryParse(out var request) ?? shape.Validate(request);
        if (error is not null)
        {
            return call.Fail(error);
        }

        var turs = ((JsonArray)request["tokenUniqueReferences"]!).Select(n => (string)n!).ToList();
        call.TokenUniqueReferences.AddRange(turs);
        var consumerKey = call.Requestor.ConsumerKey;
        var result = s.Changes.Apply(turs, action, ChangeActor.TokenRequestorApi, (string?)request["reasonCode"],
            visible: t => t.ConsumerKey == consumerKey);
        switch (result.Failure)
        {
            case ChangeFailure.UnknownToken:
                return call.Fail(MdesError.UnknownToken(result.FailedTokenUniqueReference!));
            case ChangeFailure.InvalidStatus:
                return call.Fail(MdesError.InvalidStatus(result.FailedTokenUniqueReference!));
            default:
                break;
        }

        call.TokenRequestorId = result.Tokens.Count > 0 ? result.Tokens[0].TokenRequestorId : null;
        var response = call.NewResponse();
        response["tokens"] = new JsonArray([.. result.Tokens.Select(t => (JsonNode)t.ToJson())]);
        return MdesCall.Ok(response);
    }
}
