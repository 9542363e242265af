using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.Cryptograms;
using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.RateLimiting;
using ObotrGateway.Api.Merchants;
using ObotrGateway.Api.Persistence;
using StackExchange.Redis;

namespace ObotrGateway.Api.Hyperswitch;

/// <summary>The steps the four calls share: reading lenient bodies, decrypting card data, the consent claim, lookups.</summary>
internal static partial class HyperswitchTokenEndpoints
{
    /// <summary>
    /// The card from <c>cardData</c>: the key is the one <c>keyId</c> names or, without it, the JWE <c>kid</c> (older and
    /// newer Hyperswitch builds differ on sending keyId, contract U2); if both are sent they must agree.
    /// </summary>
    private static async Task<(HyperswitchCardInput? Card, ProblemHttpResult? Problem)> DecryptCardAsync(string cardData, string? keyId,
        CallingMerchant merchant, HyperswitchKeys keys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (HyperswitchJwe.ReadHeader(cardData) is not { } header)
        {
            return (null, Refuse("invalid_card_data", "cardData is not a compact JWE.",
                "Expected five base64url parts (header.key.iv.ciphertext.tag) as Hyperswitch's josekit writes them."));
        }

        if (header is not { Alg: "RSA-OAEP-256", Enc: "A128GCM" or "A256GCM", Compressed: false })
        {
            return (null, Refuse("unsupported_jwe_algorithm", "cardData uses an algorithm this service does not accept.",
                "Use alg RSA-OAEP-256 with enc A128GCM (or A256GCM), uncompressed."));
        }

        if (keyId is not null && header.Kid is not null && keyId != header.Kid)
        {
            return (null, Refuse("key_id_mismatch", "keyId and the JWE kid name different keys.",
                "Hyperswitch sends key_id as both; check that its configuration has the key id of GET /v1/merchant/hyperswitch."));
        }

        var (key, refusal) = await keys.ForDecryptionAsync(merchant.MerchantId, keyId ?? header.Kid, cancellationToken);
        if (key is null)
        {
            return (null, refusal switch
            {
                HyperswitchErrors.KeyRetired => Refuse(refusal, "The key id names a key retired longer ago than its lifetime.",
                    "Configure Hyperswitch's key_id and public_key with the current key of GET /v1/merchant/hyperswitch."),
                HyperswitchErrors.KeyUnavailable => Problems.Create(StatusCodes.Status409Conflict, refusal, "The key cannot be read any more.",
                    "Its encryption key was removed from DataProtection:PreviousKeys; rotate (PUT /v1/merchant/hyperswitch with rotateKey=true)."),
                _ => Refuse(HyperswitchErrors.UnknownKeyId, "No key of this merchant has this key id.",
                    "keyId, or the JWE kid without it, must be the key id of GET /v1/merchant/hyperswitch (or a recently retired one)."),
            });
        }

        using (key)
        {
            var plaintext = HyperswitchJwe.Decrypt(cardData, key, header);
            if (plaintext is null)
            {
                return (null, Refuse("card_data_undecryptable", "cardData does not decrypt with the key it names.",
                    "It was altered in transit, or encrypted to another public key than the one of that key id."));
            }

            try
            {
                var card = HyperswitchCardData.Parse(plaintext, now, out var errors);
                return card is null
                    ? (null, Problems.Validation("invalid_card", "The card was not sent to the network: fix the fields in errors.", errors))
                    : (card, null);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plaintext); // it holds the PAN
            }
        }
    }

    /// <summary>
    /// Generate is idempotent on the consent id: the first call claims it (a row without a token) before tokenizing, so a
    /// resent request (Hyperswitch resends once on a dropped connection) never makes a second MDES token. A consent that
    /// already has a token answers with that token, provided it is the same card and customer.
    /// </summary>
    private static async Task<(HyperswitchCard? Card, GatewayToken? Token, ProblemHttpResult? Problem)> ClaimConsentAsync(GatewayDbContext db,
        CallingMerchant merchant, string consentId, string customerId, HyperswitchCardInput card, PanFingerprint fingerprints, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var cards = db.Set<HyperswitchCard>();
        var existing = await cards.SingleOrDefaultAsync(row => row.MerchantId == merchant.MerchantId && row.ConsentId == consentId, cancellationToken);
        if (existing is null)
        {
            var claim = new HyperswitchCard
            {
                Id = Guid.CreateVersion7(clock.GetUtcNow()),
                MerchantId = merchant.MerchantId,
                ConsentId = consentId,
                CustomerId = customerId,
                CardExpiryMonth = card.ExpMonth,
                CardExpiryYear = card.ExpYear,
                CreatedAt = clock.GetUtcNow(),
            };
            cards.Add(claim);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return (claim, null, null);
            }
            catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                return (null, null, InProgress());
            }
        }

        if (existing.GatewayTokenId is not { } tokenId)
        {
            return (null, null, InProgress());
        }

        var token = await db.GatewayTokens.SingleAsync(row => row.Id == tokenId, cancellationToken);
        if (existing.CustomerId != customerId || !CryptographicOperations.FixedTimeEquals(token.PanFingerprint, fingerprints.Of(card.Card.Pan)))
        {
            return (null, null, Problems.Create(StatusCodes.Status409Conflict, "consent_id_reused", "This consentId was used for another card or customer.",
                "Generate is idempotent on orderData.consentId: send a new consent id for a different card."));
        }

        return (existing, token, null);

        static ProblemHttpResult InProgress() => Problems.Create(StatusCodes.Status409Conflict, "generate_in_progress",
            "A generate call with this consentId is still running.", "Nothing was changed by this call; ask again in a few seconds.");
    }

    /// <summary>
    /// Transact for the token number; its cryptogram is not wasted but kept in the vault for the first fetch (a token
    /// purged meanwhile makes the vault refuse it, which is right).
    /// </summary>
    private static async Task<(StoredCryptogram? Cryptogram, ProblemHttpResult? Problem)> TransactIntoVaultAsync(GatewayToken token,
        CryptogramSource cryptograms, CryptogramVault vault, CancellationToken cancellationToken)
    {
        var tur = token.TokenUniqueReference!;
        long? generation = null;
        try
        {
            generation = await vault.GenerationAsync(tur);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // The vault is an optimisation: without it the cryptogram is simply not kept.
        }

        StoredCryptogram cryptogram;
        try
        {
            cryptogram = await cryptograms.TransactAsync(tur, token.TokenRequestorId, MdesCallPriority.Interactive, cancellationToken);
        }
        catch (Exception exception) when (exception is MdesException or MdesUnavailableException)
        {
            return (null, TokenizationProblems.ForMdesFailure(exception, token));
        }

        if (generation is { } seen)
        {
            try
            {
                await vault.AddAsync(tur, seen, cryptogram);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                // As above: the first fetch then Transacts itself.
            }
        }

        return (cryptogram, null);
    }

    /// <summary>
    /// The gateway token a card reference names, with its Hyperswitch record, for the calling merchant and the customer the
    /// card was generated for. Either spelling is read (v1 snake_case, v2 camelCase); anything not found is one 404.
    /// </summary>
    private static async Task<(GatewayToken? Token, HyperswitchCard? Card, ProblemHttpResult? Problem)> FindCardAsync(JsonElement body,
        HttpContext context, GatewayDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var cardReference = Field(body, errors, "card_reference", 64, alternative: "cardReference");
        var customerId = Field(body, errors, "customer_id", 256, alternative: "customerId");
        if (errors.Count > 0)
        {
            return (null, null, Invalid(errors));
        }

        var token = await db.FindGatewayTokenAsync(context.User.GetCallingMerchant(), cardReference!, cancellationToken);
        var card = token is null ? null
            : await db.Set<HyperswitchCard>().AsNoTracking().SingleOrDefaultAsync(row => row.GatewayTokenId == token.Id, cancellationToken);
        return card is null || card.CustomerId != customerId ? (null, null, CardReferenceNotFound()) : (token, card, null);
    }

    private static ProblemHttpResult CardReferenceNotFound() => Problems.Create(StatusCodes.Status404NotFound, "card_reference_not_found",
        "No card of this merchant and customer has this card reference.",
        "card_reference is the cardReference of a generate answer, with the same customer_id; a token purged after deletion is gone too.");

    private static ProblemHttpResult Refuse(string code, string title, string detail) =>
        Problems.Create(StatusCodes.Status400BadRequest, code, title, detail);

    private static ProblemHttpResult Invalid(Dictionary<string, string[]> errors) =>
        Problems.Validation("invalid_request", "Nothing was changed: fix the fields in errors.", errors);

    /// <summary>A required string member (1 to <paramref name="maxLength"/> characters), under its name or the other spelling.</summary>
    private static string? Field(JsonElement parent, Dictionary<string, string[]> errors, string name, int maxLength, string prefix = "",
        string? alternative = null)
    {
        var value = Text(parent, name) ?? (alternative is null ? null : Text(parent, alternative));
        if (value is { Length: > 0 } && value.Length <= maxLength)
        {
            return value;
        }

        errors[prefix + name] = [$"Required: a string of 1 to {maxLength} characters."];
        return null;
    }

    private static string? Text(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Hyperswitch generate made gateway token {GatewayToken} for merchant {MerchantId}")]
    private static partial void LogGenerated(ILogger logger, string gatewayToken, Guid merchantId);
}

/// <summary>Generate's answer: only <c>payload</c> is read by Hyperswitch.</summary>
internal sealed record GenerateTokenResponse(string Payload)
{
    public override string ToString() => nameof(GenerateTokenResponse);
}

/// <summary>The decrypted payload (Hyperswitch's <c>CardNetworkTokenResponsePayload</c>, camelCase). Secret: it holds the token number.</summary>
internal sealed record GenerateTokenPayload(
    string CardBrand,
    string CardReference,
    string CorrelationId,
    string CustomerId,
    string Par,
    string Token,
    string TokenExpiryMonth,
    string TokenExpiryYear,
    string TokenIsin,
    string TokenLastFour,
    string TokenStatus)
{
    public override string ToString() => nameof(GenerateTokenPayload);
}

/// <summary>Fetch's answer (Hyperswitch's <c>TokenResponse</c>, snake_case). Secret: token number and cryptogram.</summary>
internal sealed record FetchTokenResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("authentication_details")] FetchAuthenticationDetails AuthenticationDetails,
    [property: System.Text.Json.Serialization.JsonPropertyName("network")] string Network,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_details")] FetchTokenDetails TokenDetails,
    [property: System.Text.Json.Serialization.JsonPropertyName("eci")] string Eci,
    [property: System.Text.Json.Serialization.JsonPropertyName("card_details")] FetchCardDetails? CardDetails)
{
    public override string ToString() => nameof(FetchTokenResponse);
}

internal sealed record FetchAuthenticationDetails(
    [property: System.Text.Json.Serialization.JsonPropertyName("cryptogram")] string Cryptogram,
    [property: System.Text.Json.Serialization.JsonPropertyName("token")] string Token)
{
    public override string ToString() => nameof(FetchAuthenticationDetails);
}

internal sealed record FetchTokenDetails(
    [property: System.Text.Json.Serialization.JsonPropertyName("exp_month")] string ExpMonth,
    [property: System.Text.Json.Serialization.JsonPropertyName("exp_year")] string ExpYear);

internal sealed record FetchCardDetails([property: System.Text.Json.Serialization.JsonPropertyName("par")] string Par);

/// <summary>Status's answer: outer <c>payload</c>, inner camelCase (Hyperswitch's <c>CheckTokenStatusResponse</c>).</summary>
internal sealed record TokenStatusResponse(TokenStatusPayload Payload);

internal sealed record TokenStatusPayload(
    string TokenStatus,
    string TokenExpiryMonth,
    string TokenExpiryYear,
    string CardLastFour,
    string? CardExpiryMonth,
    string? CardExpiryYear,
    string? TokenLastFour);

/// <summary>Delete's answer; SUCCESS is the only value Hyperswitch parses.</summary>
internal sealed record DeleteTokenResponse(string Status);
