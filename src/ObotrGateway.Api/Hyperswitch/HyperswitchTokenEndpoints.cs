using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.Cryptograms;
using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Api.Merchants;
using ObotrGateway.Api.Persistence;
using ObotrGateway.Api.TokenLifecycle;

namespace ObotrGateway.Api.Hyperswitch;

/// <summary>
/// The four calls of Hyperswitch's <c>[network_tokenization_service]</c> (contract §4–§7), authenticated by the merchant's
/// API key (Hyperswitch sends its token_service_api_key verbatim, so operators configure "Bearer &lt;key&gt;"). Bodies are
/// read leniently (Hyperswitch adds fields between versions, and v1/v2 spell the status call differently); every
/// failure leaves in Hyperswitch's error shape (<see cref="HyperswitchErrors"/>). The card reference is the gateway token.
/// </summary>
internal static partial class HyperswitchTokenEndpoints
{
    /// <summary>Every token we issue is an MDES token, so a Mastercard one; Hyperswitch's upper-case alias (contract §9).</summary>
    public const string Network = "MASTERCARD";

    /// <summary>ECI of an e-commerce payment with a Mastercard token cryptogram (UCAF, SLI 246 in our own payments).</summary>
    public const string Eci = "02";

    public static void MapHyperswitchTokenEndpoints(this IEndpointRouteBuilder app)
    {
        var calls = app.MapMerchantGroup(HyperswitchErrors.PathPrefix, "Hyperswitch");
        calls.MapPost("/generate-token", GenerateToken).WithName("HyperswitchGenerateToken")
            .WithSummary("Hyperswitch generate_token_url: tokenize the JWE-encrypted card under the merchant's TRID.")
            .WithDescription("cardData is a compact JWE (RSA-OAEP-256, A128GCM or A256GCM) to our key named by keyId or, without it, the JWE kid; "
                + "its plaintext is the card JSON, encoded twice or once; cardSecurityCode may be null, empty or absent. Idempotent on "
                + "orderData.consentId. The answer's payload is a JWE to Hyperswitch's public key; its plaintext is the token record "
                + "(cardBrand, cardReference = the gateway token, token, tokenExpiryMonth/Year, par, correlationId, customerId, tokenIsin, "
                + "tokenLastFour, tokenStatus). Waits up to Hyperswitch:ActivationWait for the token's activation.")
            .WithErrors(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity,
                StatusCodes.Status503ServiceUnavailable)
            .WithExamples("""{"service":"NETWORK_TOKEN","cardData":"eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMTI4R0NNIiwidHlwIjoiSldUIiwia2lkIjoiaHNfMWYyZTNkNGM1YjZhNzk4ODc3NjY1NTQ0In0.dW5yZWFsLWtleQ.bm9uY2Vub25jZQ.Y2lwaGVydGV4dA.dGFndGFndGFndGFn","orderData":{"consentId":"7d0c4b5e-2f44-4a8f-9a57-0c5b8f0d1e2a","customerId":"cus_8Yb2kq1Lr9PzT3"},"shouldSendToken":true,"keyId":"hs_1f2e3d4c5b6a798877665544"}""",
                ("200", """{"payload":"eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMTI4R0NNIiwidHlwIjoiSldUIn0.dW5yZWFsLWtleQ.bm9uY2Vub25jZQ.Y2lwaGVydGV4dA.dGFndGFndGFndGFn"}"""),
                ("400", """{"error_message":"cardData does not decrypt with the key it names.","error_info":{"code":"card_data_undecryptable","developer_message":"It was altered in transit, or encrypted to another public key than the one of that key id."}}"""));
        calls.MapPost("/fetch-token", FetchToken).WithName("HyperswitchFetchToken")
            .WithSummary("Hyperswitch fetch_token_url: the token with a fresh single-use cryptogram.")
            .WithDescription("Plain JSON, snake_case. The cryptogram is the vault's if one is ready (refilled in the background), else Transact's.")
            .WithErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status503ServiceUnavailable)
            .WithExamples(ReferenceExample,
                ("200", """{"authentication_details":{"cryptogram":"AJkBBkhgQQAAAE4gSEJydAAAAAA=","token":"5204731600014821"},"network":"MASTERCARD","token_details":{"exp_month":"11","exp_year":"2029"},"eci":"02","card_details":{"par":"500181d9f8e0629211e3949a08002"}}"""),
                ("404", """{"error_message":"No card of this merchant and customer has this card reference.","error_info":{"code":"card_reference_not_found","developer_message":"card_reference is the cardReference of a generate answer, with the same customer_id; a token purged after deletion is gone too."}}"""));
        calls.MapPost("/check-token-status", CheckTokenStatus).WithName("HyperswitchCheckTokenStatus")
            .WithSummary("Hyperswitch check_token_status_url: the token's status and expiry (v1 snake_case or v2 camelCase request).")
            .WithDescription("tokenStatus is ACTIVE or INACTIVE; with Hyperswitch:ExtendedTokenStatuses also SUSPENDED, EXPIRED or DELETED. "
                + "tokenExpiryMonth/Year are always present. Read from the gateway's state (kept current by MDES notifications): no MDES call.")
            .WithErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .WithExamples("""{"cardReference":"gt_54fa402cef59d90052661daf68a3fa44","customerId":"cus_8Yb2kq1Lr9PzT3"}""",
                ("200", """{"payload":{"tokenStatus":"ACTIVE","tokenExpiryMonth":"11","tokenExpiryYear":"2029","cardLastFour":"0003","cardExpiryMonth":"12","cardExpiryYear":"2031","tokenLastFour":"4821"}}"""));
        calls.MapPost("/delete-token", DeleteToken).WithName("HyperswitchDeleteToken")
            .WithSummary("Hyperswitch delete_token_url: delete the MDES token behind the card reference.")
            .WithDescription("Through the lifecycle path (DEACTIVATED, archived, cryptograms purged, a token.updated event). Deleting an "
                + "already deleted token answers SUCCESS again.")
            .WithErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status503ServiceUnavailable)
            .WithExamples(ReferenceExample, ("200", """{"status":"SUCCESS"}"""));
    }

    private const string ReferenceExample = """{"card_reference":"gt_54fa402cef59d90052661daf68a3fa44","customer_id":"cus_8Yb2kq1Lr9PzT3"}""";

    internal static async Task<Results<Ok<GenerateTokenResponse>, ProblemHttpResult>> GenerateToken(JsonElement body, HttpContext context,
        GatewayDbContext db, HyperswitchKeys keys, CardTokenizer tokenizer, TokenRefresher refresher, CryptogramSource cryptograms,
        CryptogramVault vault, PanFingerprint fingerprints, IOptions<HyperswitchOptions> options, TimeProvider clock,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var cardData = Field(body, errors, "cardData", 65_536);
        var order = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("orderData", out var orderData) ? orderData : default;
        var consentId = Field(order, errors, "consentId", 128, "orderData.");
        var customerId = Field(order, errors, "customerId", 256, "orderData.");
        var keyId = Text(body, "keyId");
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var merchant = context.User.GetCallingMerchant();
        var setup = await db.Set<HyperswitchSetup>().AsNoTracking().SingleOrDefaultAsync(row => row.MerchantId == merchant.MerchantId, cancellationToken);
        if (setup is null)
        {
            return HyperswitchSetupEndpoints.NotConfigured(StatusCodes.Status409Conflict);
        }

        var decrypted = await DecryptCardAsync(cardData!, keyId, merchant, keys, clock.GetUtcNow(), cancellationToken);
        if (decrypted.Problem is not null)
        {
            return decrypted.Problem;
        }

        var card = decrypted.Card!;
        var claim = await ClaimConsentAsync(db, merchant, consentId!, customerId!, card, fingerprints, clock, cancellationToken);
        if (claim.Problem is not null)
        {
            return claim.Problem;
        }

        var link = claim.Card!;
        GatewayToken token;
        if (claim.Token is { } earlier)
        {
            token = earlier;
        }
        else
        {
            // Saved during a payment, the card comes with its CVC (entered by hand); without one it is a stored card re-tokenized.
            var source = card.Card.SecurityCode is null ? CardTokenizer.SourceOnFile : CardTokenizer.SourceAddedManually;
            var result = await tokenizer.TokenizeAsync(merchant, card.Card, source, MdesCallPriority.Interactive, cancellationToken);
            if (result is not TokenizationResult.Provisioned provisioned)
            {
                db.Set<HyperswitchCard>().Remove(link); // nothing stored: the consent may be tried again
                await db.SaveChangesAsync(CancellationToken.None);
                return TokenizationProblems.For(result);
            }

            token = provisioned.Token;
            link.GatewayTokenId = token.Id;
            await db.SaveChangesAsync(CancellationToken.None);
            var logger = loggers.CreateLogger(typeof(HyperswitchTokenEndpoints));
            LogGenerated(logger, token.Token, merchant.MerchantId);
        }

        // The token number comes from Transact, which wants an ACTIVE token; activation is normally notified within a second.
        if (!await refresher.WaitUntilActiveAsync(token, options.Value.ActivationWait, cancellationToken))
        {
            return TokenizationProblems.TokenNotActive(token);
        }

        var issued = await TransactIntoVaultAsync(token, cryptograms, vault, cancellationToken);
        if (issued.Problem is not null)
        {
            return issued.Problem;
        }

        var cryptogram = issued.Cryptogram!;
        var (expiryMonth, expiryYear) = TokenExpiry(cryptogram.ApplicationExpiryDate);
        link.TokenExpiryMonth = expiryMonth;
        link.TokenExpiryYear = expiryYear;
        await db.SaveChangesAsync(CancellationToken.None);

        using var hyperswitchKey = HyperswitchPublicKey.Import(setup.HyperswitchPublicKey, out _);
        if (hyperswitchKey is null)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "hyperswitch_key_unusable", "The stored Hyperswitch public key cannot be used.",
                "PUT /v1/merchant/hyperswitch again with Hyperswitch's public key.");
        }

        var payload = new GenerateTokenPayload(Network, token.Token, token.Id.ToString(), link.CustomerId, token.PaymentAccountReference ?? "",
            cryptogram.TokenNumber, expiryMonth, expiryYear, cryptogram.TokenNumber[..6], cryptogram.TokenNumber[^4..], TokenStatuses.Active);
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(payload, PayloadJson);
        try
        {
            return TypedResults.Ok(new GenerateTokenResponse(HyperswitchJwe.Encrypt(plaintext, hyperswitchKey)));
        }
        finally
        {
            Array.Clear(plaintext); // it holds the token number
        }
    }

    internal static async Task<Results<Ok<FetchTokenResponse>, ProblemHttpResult>> FetchToken(JsonElement body, HttpContext context,
        GatewayDbContext db, TokenRefresher refresher, CryptogramSource cryptograms, CancellationToken cancellationToken)
    {
        var found = await FindCardAsync(body, context, db, cancellationToken);
        if (found.Problem is not null)
        {
            return found.Problem;
        }

        var token = found.Token!;
        if (token.ArchivedAt is null && token.Status == TokenStatuses.Inactive)
        {
            await refresher.WaitUntilActiveAsync(token, TimeSpan.Zero, cancellationToken); // activation may not be notified yet
        }

        if (token.ArchivedAt is not null || token.Status != TokenStatuses.Active)
        {
            return TokenizationProblems.TokenNotActive(token);
        }

        StoredCryptogram cryptogram;
        try
        {
            // A payment is what asks for this: the vault's cryptogram if one is ready (a refill follows), else Transact now.
            cryptogram = await cryptograms.TakeAsync(token.TokenUniqueReference!, token.TokenRequestorId, cancellationToken);
        }
        catch (Exception exception) when (exception is MdesException or MdesUnavailableException)
        {
            return TokenizationProblems.ForMdesFailure(exception, token);
        }

        var (expiryMonth, expiryYear) = TokenExpiry(cryptogram.ApplicationExpiryDate);
        return TypedResults.Ok(new FetchTokenResponse(
            new FetchAuthenticationDetails(cryptogram.Cryptogram, cryptogram.TokenNumber),
            Network,
            new FetchTokenDetails(expiryMonth, expiryYear),
            Eci,
            token.PaymentAccountReference is { } par ? new FetchCardDetails(par) : null));
    }

    internal static async Task<Results<Ok<TokenStatusResponse>, ProblemHttpResult>> CheckTokenStatus(JsonElement body, HttpContext context,
        GatewayDbContext db, IOptions<HyperswitchOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var found = await FindCardAsync(body, context, db, cancellationToken);
        if (found.Problem is not null)
        {
            return found.Problem;
        }

        var (token, card) = (found.Token!, found.Card!);
        var (tokenMonth, tokenYear) = token.TokenExpiry is { Length: 4 } mmyy ? (mmyy[..2], "20" + mmyy[2..]) : (card.TokenExpiryMonth ?? "", card.TokenExpiryYear ?? "");
        var (cardMonth, cardYear) = HyperswitchWebhooks.CardExpiry(token, card);
        return TypedResults.Ok(new TokenStatusResponse(new TokenStatusPayload(
            StatusFor(token, tokenMonth, tokenYear, options.Value.ExtendedTokenStatuses, clock.GetUtcNow()),
            tokenMonth, tokenYear, token.PanSuffix, cardMonth, cardYear, token.TokenPanSuffix)));
    }

    internal static async Task<Results<Ok<DeleteTokenResponse>, ProblemHttpResult>> DeleteToken(JsonElement body, HttpContext context,
        GatewayDbContext db, TokenStatusChanges changes, CancellationToken cancellationToken)
    {
        var found = await FindCardAsync(body, context, db, cancellationToken);
        if (found.Problem is not null)
        {
            return found.Problem;
        }

        // The lifecycle path: archived, cryptograms purged, merchant event written; a second delete is already_deleted.
        var outcome = (await changes.ApplyAsync(context.User.GetCallingMerchant(), [found.Token!.Token], LifecycleAction.Delete, "OTHER", null,
            cancellationToken))[0];
        return outcome.Result switch
        {
            LifecycleResults.Deleted or LifecycleResults.AlreadyDeleted => TypedResults.Ok(new DeleteTokenResponse("SUCCESS")),
            LifecycleResults.NotFound => CardReferenceNotFound(),
            _ => LifecycleProblems.For(outcome),
        };
    }

    /// <summary>
    /// ACTIVE or INACTIVE, which every Hyperswitch build parses; the finer SUSPENDED, EXPIRED and DELETED only when
    /// <see cref="HyperswitchOptions.ExtendedTokenStatuses"/> says the operator's build knows them (contract §6).
    /// </summary>
    internal static string StatusFor(GatewayToken token, string expiryMonth, string expiryYear, bool extended, DateTimeOffset now)
    {
        var expired = int.TryParse(expiryMonth, out var month) && int.TryParse(expiryYear, out var year)
            && (year < now.Year || (year == now.Year && month < now.Month));
        var status = token.ArchivedAt is not null || token.Status == TokenStatuses.Deactivated ? "DELETED"
            : token.Status == TokenStatuses.Suspended ? "SUSPENDED"
            : token.Status == TokenStatuses.Active ? (expired ? "EXPIRED" : "ACTIVE")
            : "INACTIVE";
        return extended || status is "ACTIVE" ? status : "INACTIVE";
    }

    /// <summary>Transact's applicationExpiryDate (YYMMDD) as the MM and YYYY we give Hyperswitch.</summary>
    internal static (string Month, string Year) TokenExpiry(string applicationExpiryDate) =>
        (applicationExpiryDate[2..4], "20" + applicationExpiryDate[..2]);

    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);
}
