using System.Text.Json.Nodes;
using ObotrGateway.MdesSimulator.Tokens;

namespace ObotrGateway.MdesSimulator.DigitalEnablement;

internal static partial class MdesEndpoints
{
    public static IResult Transact(HttpContext http, MdesServices s)
    {
        var call = MdesCall.Of(http);
        var error = call.TryParse(out var request) ?? MdesShapes.Transact.Validate(request);
        if (error is not null)
        {
            return call.Fail(error);
        }

        var tur = (string)request["tokenUniqueReference"]!;
        call.TokenUniqueReferences.Add(tur);
        JsonObject clear;
        lock (s.Store.Sync)
        {
            var token = s.Store.Find(tur);
            if (token is null || token.ConsumerKey != call.Requestor.ConsumerKey)
            {
                return call.Fail(MdesError.UnknownToken(tur));
            }

            call.TokenRequestorId = token.TokenRequestorId;
            if (!TokenLifecycle.IsAllowed(TokenAction.Transact, token.Status))
            {
                return call.Fail(MdesError.InvalidStatus(tur));
            }

            var applicationExpiryDate = TokenViews.ApplicationExpiryDate(token);
            clear = new JsonObject
            {
                ["accountNumber"] = token.TokenNumber,
                ["applicationExpiryDate"] = applicationExpiryDate,
                ["panSequenceNumber"] = token.PanSequenceNumber,
                ["track2Equivalent"] = Track2(token.TokenNumber, applicationExpiryDate[..4]),
                ["de48se43Data"] = s.Cryptograms.Issue(token, applicationExpiryDate, s.Options.CryptogramValidity),
            };
        }

        var response = call.NewResponse();
        response["encryptedPayload"] = s.EncryptFor(call.Requestor, clear);
        return MdesCall.Ok(response);
    }

    /// <summary>PAN, 'D', YYMM, service code 201, zero discretionary data, 'F' pad to an even length (≤ 38).</summary>
    internal static string Track2(string tokenNumber, string yymm)
    {
        var track = (tokenNumber + "D" + yymm + "201").PadRight(Math.Min(37, tokenNumber.Length + 21), '0');
        return track.Length % 2 == 1 ? track + "F" : track;
    }
}
