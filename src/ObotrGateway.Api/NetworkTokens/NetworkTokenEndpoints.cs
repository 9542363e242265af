using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Cryptograms;
using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Api.Merchants;
using ObotrGateway.Api.Payments;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.NetworkTokens;

/// <summary>
/// Hand-off to alternative gateways: the MDES token number, its expiry and a fresh single-use cryptogram, so a
/// merchant can authorize through another processor. These responses are secrets; they are never logged and
/// an idempotent replay of them is stored only encrypted.
/// </summary>
internal static class NetworkTokenEndpoints
{
    public static void MapNetworkTokenEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapMerchantGroup("/v1", "Network tokens");

        group.MapPost("/network-tokens", CreateNetworkToken).WithName("CreateNetworkToken")
            .WithSummary("Token number + expiry + a fresh cryptogram for a gateway token, or for a card (tokenized first).")
            .WithDescription("For a payment through another gateway or acquirer. Send exactly one of gatewayToken or card (400 invalid_request). "
                + "The answer holds secrets (token number, cryptogram): use it for one authorization and do not store it. The token must "
                + "be ACTIVE (409 token_not_active). Accepts Idempotency-Key.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/gateway-tokens/{gatewayToken}/cryptograms", CreateCryptogram).WithName("CreateCryptogram")
            .WithSummary("A fresh single-use cryptogram for a later payment with this gateway token.")
            .WithDescription("The body is optional and, when sent, an empty JSON object: this call takes no options (400 unknown_field otherwise).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    internal static async Task<Results<Created<NetworkTokenView>, ProblemHttpResult>> CreateNetworkToken(
        NetworkTokenRequest request, HttpContext context, GatewayDbContext db, CardTokenizer tokenizer, TokenRefresher refresher,
        CryptogramSource cryptograms, IOptions<PaymentOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        if ((request.GatewayToken is null) == (request.Card is null))
        {
            return Problems.Validation("invalid_request", "Send exactly one of gatewayToken or card.",
                new Dictionary<string, string[]> { ["gatewayToken"] = ["Send exactly one of gatewayToken or card."] });
        }

        var merchant = context.User.GetCallingMerchant();
        GatewayToken? token;
        if (request.Card is not null)
        {
            if (TokenizationProblems.InvalidCard(request.Card, clock.GetUtcNow()) is { } invalid)
            {
                return invalid;
            }

            var result = await tokenizer.TokenizeAsync(merchant, request.Card.ToInput(), CardTokenizer.SourceAddedManually,
                MdesCallPriority.Interactive, cancellationToken);
            if (result is not TokenizationResult.Provisioned provisioned)
            {
                return TokenizationProblems.For(result);
            }

            token = provisioned.Token;
            await refresher.WaitUntilActiveAsync(token, options.Value.ActivationWait, cancellationToken);
        }
        else
        {
            token = await FindUsableAsync(db, refresher, merchant, request.GatewayToken!, cancellationToken);
            if (token is null)
            {
                return Problems.GatewayTokenNotFound();
            }
        }

        var issued = await IssueAsync(token, cryptograms, cancellationToken);
        return issued.Result is { } view
            ? TypedResults.Created($"/v1/gateway-tokens/{token.Token}", view)
            : issued.Problem!;
    }

    internal static async Task<Results<Created<NetworkTokenView>, ProblemHttpResult>> CreateCryptogram(
        string gatewayToken, CryptogramRequest? request, HttpContext context, GatewayDbContext db, TokenRefresher refresher, CryptogramSource cryptograms,
        CancellationToken cancellationToken)
    {
        var token = await FindUsableAsync(db, refresher, context.User.GetCallingMerchant(), gatewayToken, cancellationToken);
        if (token is null)
        {
            return Problems.GatewayTokenNotFound();
        }

        var issued = await IssueAsync(token, cryptograms, cancellationToken);
        return issued.Result is { } view ? TypedResults.Created($"/v1/gateway-tokens/{token.Token}", view) : issued.Problem!;
    }

    /// <summary>The merchant's live token; an INACTIVE one is re-read from MDES once (activation may not be notified yet).</summary>
    private static async Task<GatewayToken?> FindUsableAsync(GatewayDbContext db, TokenRefresher refresher, CallingMerchant merchant,
        string gatewayToken, CancellationToken cancellationToken)
    {
        var token = await db.FindGatewayTokenAsync(merchant, gatewayToken, cancellationToken);
        if (token is null || token.ArchivedAt is not null)
        {
            return null;
        }

        if (token.Status == TokenStatuses.Inactive)
        {
            await refresher.WaitUntilActiveAsync(token, TimeSpan.Zero, cancellationToken);
        }

        return token;
    }

    private static async Task<(NetworkTokenView? Result, ProblemHttpResult? Problem)> IssueAsync(
        GatewayToken token, CryptogramSource cryptograms, CancellationToken cancellationToken)
    {
        if (token.Status != TokenStatuses.Active)
        {
            // Names the gateway token: with a card, it was just created and the merchant needs to know it exists.
            return (null, TokenizationProblems.TokenNotActive(token));
        }

        try
        {
            // Straight from Transact, not the vault: the hand-off party's timing is unknown, so give it a full lifetime.
            var cryptogram = await cryptograms.TransactAsync(token.TokenUniqueReference!, token.TokenRequestorId, MdesCallPriority.Interactive, cancellationToken);
            return (new NetworkTokenView(token.Token, cryptogram.TokenNumber, cryptogram.ApplicationExpiryDate[2..4],
                "20" + cryptogram.ApplicationExpiryDate[..2], cryptogram.Cryptogram, "UCAF", cryptogram.PanSequenceNumber), null);
        }
        catch (Exception exception) when (exception is MdesException or MdesUnavailableException)
        {
            return (null, TokenizationProblems.ForMdesFailure(exception, token));
        }
    }
}

internal sealed record NetworkTokenRequest(
    [property: Description("A gateway token of the calling merchant…")] string? GatewayToken,
    [property: Description("…or a card, tokenized first (the response then carries its new gateway token).")] CardRequest? Card);

/// <summary>
/// The cryptogram call's body: no members today. Declared so a body is checked like every other (strict, ADR 0704)
/// rather than ignored: a client sending options it expects to matter learns that they do not.
/// </summary>
internal sealed record CryptogramRequest;

/// <summary>Secret material for one payment through another gateway.</summary>
internal sealed record NetworkTokenView(
    string GatewayToken,
    [property: Description("The MDES token number (a network token PAN). Secret.")] string TokenNumber,
    [property: Description("MM")] string ExpiryMonth,
    [property: Description("YYYY")] string ExpiryYear,
    [property: Description("UCAF cryptogram (DE48 SE43 data) for exactly one authorization.")] string Cryptogram,
    string CryptogramType,
    string PanSequenceNumber)
{
    public override string ToString() => $"network token for {GatewayToken}";
}
