using System.ComponentModel;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Merchants;
using ObotrGateway.Api.Persistence;
using ObotrGateway.Api.Webhooks;

namespace ObotrGateway.Api.Hyperswitch;

/// <summary>
/// Self-service set-up for a merchant that runs Hyperswitch: it gives Hyperswitch's public key and webhook target, and
/// gets our key id and public key for Hyperswitch's <c>[network_tokenization_service]</c> (docs/hyperswitch.md).
/// </summary>
internal static class HyperswitchSetupEndpoints
{
    public const string WebhookAuthorizationPurpose = "hyperswitch-webhook-authorization";

    public static void MapHyperswitchSetupEndpoints(this IEndpointRouteBuilder app)
    {
        var setup = app.MapMerchantGroup("/v1/merchant/hyperswitch", "Hyperswitch");
        setup.MapPut("/", PutSetup).WithName("PutHyperswitchSetup")
            .WithSummary("Set up (or change) this merchant's Hyperswitch network-tokenization link; answers our key id and public key.")
            .WithDescription("The first call generates our RSA key pair for this merchant (the private half is stored only encrypted); "
                + "rotateKey=true makes a new one, and the replaced key still decrypts card data sent under its key id until "
                + "retiredKeys[].decryptsUntil (Hyperswitch:RetiredKeyLifetime, 7 days by default). Paste keyId and publicKey into "
                + "Hyperswitch's key_id and public_key. Every field is required on every call (PUT replaces the set-up); the same body "
                + "again changes nothing unless it rotates. Accepts Idempotency-Key.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithExamples("""{"hyperswitchPublicKey":"-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA…\n-----END PUBLIC KEY-----\n","webhookUrl":"https://hyperswitch.example.com/webhooks/network_token_requestor/ref","webhookAuthorization":"whk_2c6f0d8e1b7a4f3c9e5d","rotateKey":false}""",
                ("200", SetupExample));
        setup.MapGet("/", GetSetup).WithName("GetHyperswitchSetup")
            .WithSummary("This merchant's Hyperswitch set-up, without secrets (never the webhook Authorization value or a private key).")
            .WithDescription("Our current key id and public key (what Hyperswitch's key_id and public_key must hold), the webhook URL, and "
                + "the retired keys that still decrypt until their decryptsUntil. 404 hyperswitch_not_configured before the first PUT.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExamples(null, ("200", SetupExample));
    }

    private const string SetupExample = """{"keyId":"hs_5d0c9a7e3b1f24a68c0e7d19","publicKey":"-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAx…\n-----END PUBLIC KEY-----","webhookUrl":"https://hyperswitch.example.com/webhooks/network_token_requestor/ref","retiredKeys":[{"keyId":"hs_9a1b2c3d4e5f60718293a4b5","decryptsUntil":"2026-12-13T20:15:00Z"}],"createdAt":"2026-11-22T03:38:17Z","updatedAt":"2026-12-06T20:15:00Z"}""";

    internal static async Task<Results<Ok<HyperswitchSetupView>, ProblemHttpResult>> PutSetup(PutHyperswitchRequest request, HttpContext context,
        GatewayDbContext db, HyperswitchKeys keys, DataProtector protector, IOptions<WebhookOptions> webhookOptions, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        using (var hyperswitchKey = HyperswitchPublicKey.Import(request.HyperswitchPublicKey, out var keyProblem))
        {
            if (keyProblem is not null)
            {
                errors["hyperswitchPublicKey"] = [keyProblem];
            }
        }

        if (request.WebhookAuthorization is not { Length: >= 1 and <= 2048 } authorization
            || !authorization.All(c => c is >= ' ' and <= '~') || authorization.Trim().Length != authorization.Length)
        {
            errors["webhookAuthorization"] = ["1 to 2048 printable ASCII characters, no leading or trailing space: the exact value of Hyperswitch's "
                + "webhook_source_verification_key."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation("invalid_request", "Nothing was changed: fix the fields in errors.", errors);
        }

        if (!WebhookEndpoints.TryValidateUrl(request.WebhookUrl, webhookOptions.Value, out var url, out var urlProblem))
        {
            return urlProblem; // ADR 0406: the same checks as merchant webhooks, and deliveries go through the same guarded client
        }

        var merchantId = context.User.GetCallingMerchant().MerchantId;
        var now = clock.GetUtcNow();
        var protectedAuthorization = protector.Protect(WebhookAuthorizationPurpose, System.Text.Encoding.UTF8.GetBytes(request.WebhookAuthorization!),
            merchantId.ToString());
        try
        {
            // One transaction: a rotation writes the retirement before the new key (one current key per merchant, checked per row).
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var setup = await db.Set<HyperswitchSetup>().SingleOrDefaultAsync(row => row.MerchantId == merchantId, cancellationToken);
            if (setup is null)
            {
                db.Set<HyperswitchSetup>().Add(new HyperswitchSetup
                {
                    MerchantId = merchantId,
                    HyperswitchPublicKey = request.HyperswitchPublicKey!.Trim(),
                    WebhookUrl = url.ToString(),
                    WebhookAuthorizationProtected = protectedAuthorization,
                    CreatedAt = now,
                    UpdatedAt = now,
                });
                keys.Add(merchantId);
            }
            else
            {
                setup.HyperswitchPublicKey = request.HyperswitchPublicKey!.Trim();
                setup.WebhookUrl = url.ToString();
                setup.WebhookAuthorizationProtected = protectedAuthorization;
                setup.UpdatedAt = now;
                if (request.RotateKey == true)
                {
                    await RotateAsync(db, keys, merchantId, now, cancellationToken);
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return Problems.Create(StatusCodes.Status409Conflict, "concurrent_update", "Another set-up call for this merchant ran at the same time.",
                "Nothing was changed by this call. Send it again.");
        }

        return TypedResults.Ok((await ViewAsync(db, keys, merchantId, cancellationToken))!);
    }

    internal static async Task<Results<Ok<HyperswitchSetupView>, ProblemHttpResult>> GetSetup(HttpContext context, GatewayDbContext db,
        HyperswitchKeys keys, CancellationToken cancellationToken) =>
        await ViewAsync(db, keys, context.User.GetCallingMerchant().MerchantId, cancellationToken) is { } view
            ? TypedResults.Ok(view)
            : NotConfigured(StatusCodes.Status404NotFound);

    /// <summary>No set-up yet: 404 when the set-up itself is asked for, 409 for a token call that needs it.</summary>
    internal static ProblemHttpResult NotConfigured(int status) =>
        Problems.Create(status, "hyperswitch_not_configured", "Hyperswitch is not set up for this merchant.",
            "PUT /v1/merchant/hyperswitch first: it gives the key id and public key Hyperswitch encrypts card data with.");

    /// <summary>The current key retires (it keeps decrypting for a while); keys retired longer ago than that are removed.</summary>
    private static async Task RotateAsync(GatewayDbContext db, HyperswitchKeys keys, Guid merchantId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var held = await db.Set<HyperswitchKey>().Where(key => key.MerchantId == merchantId).ToListAsync(cancellationToken);
        foreach (var key in held)
        {
            if (key.RetiredAt is null)
            {
                key.RetiredAt = now;
            }
            else if (keys.DecryptsUntil(key) <= now)
            {
                db.Set<HyperswitchKey>().Remove(key);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        keys.Add(merchantId);
    }

    private static async Task<HyperswitchSetupView?> ViewAsync(GatewayDbContext db, HyperswitchKeys keys, Guid merchantId, CancellationToken cancellationToken)
    {
        var setup = await db.Set<HyperswitchSetup>().AsNoTracking().SingleOrDefaultAsync(row => row.MerchantId == merchantId, cancellationToken);
        if (setup is null)
        {
            return null;
        }

        var usable = await keys.UsableAsync(merchantId, cancellationToken);
        var current = usable.First(key => key.RetiredAt is null);
        return new HyperswitchSetupView(current.KeyId, current.PublicKey, setup.WebhookUrl,
            [.. usable.Where(key => key.RetiredAt is not null).Select(key => new RetiredKeyView(key.KeyId, keys.DecryptsUntil(key)!.Value))],
            setup.CreatedAt, setup.UpdatedAt);
    }
}

/// <summary>Hyperswitch's RSA public key as the merchant pastes it: SPKI (PUBLIC KEY) or PKCS#1 (RSA PUBLIC KEY) PEM.</summary>
internal static class HyperswitchPublicKey
{
    /// <summary>The key, or null with the reason (never quoting the input).</summary>
    public static RSA? Import(string? pem, out string? problem)
    {
        problem = null;
        if (pem is not { Length: > 0 and <= 16_384 } || !PemEncoding.TryFind(pem, out var fields))
        {
            problem = "An RSA public key in PEM (-----BEGIN PUBLIC KEY----- …), at most 16 KiB.";
            return null;
        }

        var label = pem[fields.Label];
        if (label is not ("PUBLIC KEY" or "RSA PUBLIC KEY"))
        {
            // Above all not a PRIVATE KEY: that half must stay with Hyperswitch.
            problem = "Send the public key (PUBLIC KEY or RSA PUBLIC KEY), the pair of Hyperswitch's private_key; never the private key.";
            return null;
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem[fields.Location]);
            if (rsa.KeySize is >= 2048 and <= 8192)
            {
                return rsa;
            }

            problem = "The RSA key must be 2048 to 8192 bits.";
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            problem = "Not a readable RSA public key.";
        }

        rsa.Dispose();
        return null;
    }
}

/// <summary>The set-up call's body.</summary>
internal sealed record PutHyperswitchRequest(
    [property: Description("Hyperswitch's RSA public key, PEM: the pair of the private_key in its [network_tokenization_service] section.")]
    string? HyperswitchPublicKey,
    [property: Description("Where Hyperswitch receives network-token webhooks, e.g. https://hyperswitch.example.com/webhooks/network_token_requestor/ref: "
        + "https, a public host.")] string? WebhookUrl,
    [property: Description("The exact Authorization header value our webhooks carry: Hyperswitch's webhook_source_verification_key. Stored "
        + "encrypted, never shown again.")] string? WebhookAuthorization,
    [property: Description("Make a new key pair; the replaced key still decrypts until its decryptsUntil.")] bool? RotateKey);

/// <summary>The set-up as the merchant sees it: nothing secret.</summary>
internal sealed record HyperswitchSetupView(
    [property: Description("For Hyperswitch's key_id (sent as the JWE kid and keyId).")] string KeyId,
    [property: Description("Our RSA public key, SPKI PEM: for Hyperswitch's public_key.")] string PublicKey,
    string WebhookUrl,
    [property: Description("Keys replaced by a rotation that still decrypt, newest first.")] IReadOnlyList<RetiredKeyView> RetiredKeys,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

internal sealed record RetiredKeyView(string KeyId, DateTimeOffset DecryptsUntil);
