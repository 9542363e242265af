using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Merchants;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.CustomerService;

/// <summary>
/// Customer service: "which tokens exist for this card?" (the guide's Customer Service flow). MDES SearchTokens
/// with the merchant's own TRID; the PAN travels only inside field-level encryption and is never stored or logged.
/// </summary>
internal static class CustomerServiceEndpoints
{
    public static RouteGroupBuilder MapCustomerServiceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapMerchantGroup("/v1/customer-service", "Customer service");

        group.MapPost("/token-search", SearchTokens).WithName("SearchTokensForCard")
            .WithSummary("List the MDES tokens of a card under this merchant's TRID, mapped to gateway tokens.")
            .WithDescription("The PAN is validated first (400 invalid_card, no network call) and only sent encrypted to MDES; it is not "
                + "stored or logged. Tokens of this merchant's TRID that map to none of its gateway tokens are listed under unmapped with "
                + "their token unique reference (not card data). Deleted tokens are not returned by MDES. 503 network_unavailable with "
                + "Retry-After; 422 card_rejected when MDES rejects the card data.");
        return group;
    }

    internal static async Task<Results<Ok<TokenSearchResponse>, ProblemHttpResult>> SearchTokens(
        TokenSearchRequest request, HttpContext context, IMdesClient mdes, GatewayDbContext db, CancellationToken cancellationToken)
    {
        if (Validate(request) is { Count: > 0 } errors)
        {
            return Problems.InvalidCard(errors);
        }

        var merchant = context.User.GetCallingMerchant();
        IReadOnlyList<MdesTokenState> found;
        try
        {
            found = await mdes.SearchTokensAsync(request.Pan!, request.ExpiryMonth, request.ExpiryYear, new MdesCallContext(merchant.TokenRequestorId),
                cancellationToken);
        }
        catch (MdesUnavailableException exception)
        {
            return Problems.NetworkUnavailable(exception.RetryAfter ?? TimeSpan.FromSeconds(1));
        }
        catch (MdesException exception) when (exception.ErrorSource == "INPUT")
        {
            return Problems.CardRejected(exception.ReasonCode);
        }
        catch (MdesException exception)
        {
            return Problems.NetworkError(exception.ReasonCode);
        }

        var turs = found.Select(token => token.TokenUniqueReference).OfType<string>().ToList();
        // Only this merchant's gateway tokens: a TUR is never mapped across merchants, whatever MDES returns.
        var mapped = await db.GatewayTokens.AsNoTracking()
            .Where(token => token.MerchantId == merchant.MerchantId && token.TokenUniqueReference != null && turs.Contains(token.TokenUniqueReference))
            .ToDictionaryAsync(token => token.TokenUniqueReference!, token => token.Token, StringComparer.Ordinal, cancellationToken);

        var tokens = new List<FoundToken>();
        var unmapped = new List<UnmappedToken>();
        foreach (var token in found)
        {
            var suspendedBy = token.Status == TokenStatuses.Suspended ? token.SuspendedBy ?? [] : [];
            if (token.TokenUniqueReference is { } tur && mapped.TryGetValue(tur, out var gatewayToken))
            {
                tokens.Add(new FoundToken(gatewayToken, token.Status, token.StatusTimestamp, suspendedBy));
            }
            else
            {
                unmapped.Add(new UnmappedToken(token.TokenUniqueReference, token.Status, token.StatusTimestamp, suspendedBy));
            }
        }

        return TypedResults.Ok(new TokenSearchResponse(tokens, unmapped));
    }

    private static Dictionary<string, string[]> Validate(TokenSearchRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(request.Pan) || request.Pan.Length is < 12 or > 19 || !request.Pan.All(char.IsAsciiDigit))
        {
            errors["pan"] = ["Digits only, 12 to 19 long."];
        }
        else if (!CardValidation.LuhnValid(request.Pan))
        {
            errors["pan"] = ["Fails the Luhn check."];
        }

        if (request.ExpiryMonth is not null != request.ExpiryYear is not null)
        {
            errors["expiryMonth"] = ["Send expiryMonth and expiryYear together, or neither."];
        }
        else if (request.ExpiryMonth is { } month && month is < 1 or > 12)
        {
            errors["expiryMonth"] = ["1 to 12."];
        }

        if (request.ExpiryYear is { } year && CardValidation.NormalizeYear(year) is < 2000 or > 2099)
        {
            errors["expiryYear"] = ["Four digits (e.g. 2031) or two (31)."];
        }

        return errors;
    }
}

/// <summary>A card to look up. Holds a PAN: never logged (see ToString), never stored.</summary>
internal sealed record TokenSearchRequest(
    [property: Required, RegularExpression("^[0-9]{12,19}$"), Description("Full card number, digits only (12–19). Sent encrypted to MDES; never stored or logged.")] string? Pan,
    [property: Range(1, 12), Description("1–12; optional, with expiryYear.")] int? ExpiryMonth,
    [property: Description("Four digits (2031) or two (31); optional, with expiryMonth.")] int? ExpiryYear)
{
    public override string ToString() => nameof(TokenSearchRequest);
}

internal sealed record TokenSearchResponse(
    [property: Description("Tokens of this card that are gateway tokens of the calling merchant.")] IReadOnlyList<FoundToken> Tokens,
    [property: Description("Tokens of this card under the merchant's TRID that match none of its gateway tokens (e.g. made outside the gateway).")] IReadOnlyList<UnmappedToken> Unmapped);

internal sealed record FoundToken(
    string GatewayToken,
    [property: Description("As MDES reports it now: INACTIVE, ACTIVE or SUSPENDED.")] string? Status,
    DateTimeOffset? StatusTimestamp,
    [property: Description("Who holds a suspension: ISSUER, TOKEN_REQUESTOR, CARDHOLDER, MOBILE_PIN_LOCKED.")] IReadOnlyList<string> SuspendedBy);

internal sealed record UnmappedToken(
    [property: Description("MDES's token unique reference: an identifier, not card data; quote it to the issuer.")] string? TokenUniqueReference,
    string? Status,
    DateTimeOffset? StatusTimestamp,
    IReadOnlyList<string> SuspendedBy);
