using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.CardData;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Merchants;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.Webhooks;

/// <summary>Merchants (or operators for them) register where token.updated events go, and read the delivery log.</summary>
internal static class WebhookEndpoints
{
    public const string SecretPurpose = "webhook-signing-secret";

    public static void MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var merchant = app.MapGroup("/v1/merchant/webhook")
            .RequireAuthorization(MerchantAccess.MerchantPolicy)
            .WithTags("Webhooks")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        merchant.MapPut("/", PutMerchantWebhook).WithName("PutMerchantWebhook")
            .WithSummary("Register or change the webhook URL; the signing secret is shown only when created or rotated.")
            .WithDescription("The first registration, and any call with rotateSecret=true, returns a new signing secret once; it is "
                + "stored only encrypted. Deliveries follow Standard Webhooks: webhook-id (the event id, stable across retries), "
                + "webhook-timestamp and webhook-signature (v1,<base64 HMAC-SHA256 over id.timestamp.body>), verifiable with any "
                + "Standard Webhooks library. After a rotation the previous secret also signs deliveries (a second v1 entry) until "
                + "previousSecretExpiresAt. PUT with the same body is idempotent unless it rotates the secret.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        merchant.MapGet("/", GetMerchantWebhook).WithName("GetMerchantWebhook")
            .WithSummary("The registered webhook URL (never the secret).")
            .WithDescription("404 webhook_not_found before the first registration. The signing secret is shown only when it is created or rotated.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        merchant.MapGet("/deliveries", ListDeliveries).WithName("ListWebhookDeliveries")
            .WithSummary("The latest delivery attempts of this merchant's events, newest first.")
            .WithDescription("One entry per attempt: event id, attempt number, HTTP status (null when no answer), outcome and duration.");

        app.MapPut("/v1/admin/merchants/{merchantId:guid}/webhook", PutAdminWebhook)
            .RequireAuthorization(MerchantAccess.AdminPolicy)
            .WithTags("Admin")
            .WithName("PutMerchantWebhookAsAdmin")
            .WithSummary("Register or change a merchant's webhook URL; the signing secret is shown only when created or rotated.")
            .WithDescription("Same as PUT /v1/merchant/webhook, for an operator acting for the merchant.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    internal static Task<Results<Ok<WebhookRegistration>, ProblemHttpResult>> PutMerchantWebhook(HttpContext context, PutWebhookRequest request,
        GatewayDbContext db, DataProtector protector, IOptions<WebhookOptions> options, TimeProvider clock, CancellationToken cancellationToken) =>
        SaveAsync(context.User.GetCallingMerchant().MerchantId, request, db, protector, options.Value, clock, cancellationToken);

    internal static async Task<Results<Ok<WebhookRegistration>, ProblemHttpResult>> PutAdminWebhook(Guid merchantId, PutWebhookRequest request,
        GatewayDbContext db, DataProtector protector, IOptions<WebhookOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!await db.Merchants.AnyAsync(merchant => merchant.Id == merchantId, cancellationToken))
        {
            return Problems.Create(StatusCodes.Status404NotFound, "merchant_not_found", "No such merchant.");
        }

        return await SaveAsync(merchantId, request, db, protector, options.Value, clock, cancellationToken);
    }

    internal static async Task<Results<Ok<WebhookRegistration>, ProblemHttpResult>> GetMerchantWebhook(HttpContext context, GatewayDbContext db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var merchantId = context.User.GetCallingMerchant().MerchantId;
        var webhook = await db.MerchantWebhooks.AsNoTracking().SingleOrDefaultAsync(row => row.MerchantId == merchantId, cancellationToken);
        return webhook is null
            ? Problems.Create(StatusCodes.Status404NotFound, "webhook_not_found", "No webhook is registered.")
            : TypedResults.Ok(WebhookRegistration.Of(webhook, null, clock.GetUtcNow()));
    }

    internal static async Task<Ok<WebhookDeliveryPage>> ListDeliveries(HttpContext context, GatewayDbContext db, int? limit,
        CancellationToken cancellationToken)
    {
        var merchantId = context.User.GetCallingMerchant().MerchantId;
        var take = Math.Clamp(limit ?? 100, 1, 500);
        var items = await db.WebhookDeliveries.AsNoTracking()
            .Where(delivery => delivery.MerchantId == merchantId)
            .OrderByDescending(delivery => delivery.Id)
            .Take(take)
            .Select(delivery => new WebhookDeliveryView(delivery.EventId, delivery.Attempt, delivery.Url, delivery.HttpStatus, delivery.Outcome,
                delivery.DurationMs, delivery.AttemptedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new WebhookDeliveryPage(items));
    }

    private static async Task<Results<Ok<WebhookRegistration>, ProblemHttpResult>> SaveAsync(Guid merchantId, PutWebhookRequest request,
        GatewayDbContext db, DataProtector protector, WebhookOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!TryValidateUrl(request.Url, options, out var url, out var problem))
        {
            return problem;
        }

        var now = clock.GetUtcNow();
        var webhook = await db.MerchantWebhooks.SingleOrDefaultAsync(row => row.MerchantId == merchantId, cancellationToken);
        string? secret = null;
        if (webhook is null || request.RotateSecret == true)
        {
            secret = WebhookSignature.NewSecret();
        }

        var protectedSecret = secret is null ? null : protector.Protect(SecretPurpose, System.Text.Encoding.UTF8.GetBytes(secret), merchantId.ToString());
        if (webhook is null)
        {
            webhook = new MerchantWebhook { MerchantId = merchantId, Url = url.ToString(), SecretProtected = protectedSecret!, CreatedAt = now, UpdatedAt = now };
            db.MerchantWebhooks.Add(webhook);
        }
        else
        {
            if (protectedSecret is not null)
            {
                // Only the secret being replaced stays for the overlap: a second rotation within it ends the older one
                // at once (at most two secrets sign, ADR 0407).
                var overlap = options.SecretRotationOverlap;
                webhook.PreviousSecretProtected = overlap > TimeSpan.Zero ? webhook.SecretProtected : null;
                webhook.PreviousSecretExpiresAt = overlap > TimeSpan.Zero ? now + overlap : null;
                webhook.SecretProtected = protectedSecret;
            }

            webhook.Url = url.ToString();
            webhook.UpdatedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(WebhookRegistration.Of(webhook, secret, now));
    }

    /// <summary>
    /// The URL to store, or the problem to answer. A literal address or reserved name is refused here so the merchant
    /// learns at once; names are not resolved (their answer can change), the connect-time check covers those.
    /// </summary>
    internal static bool TryValidateUrl(string? value, WebhookOptions options, [NotNullWhen(true)] out Uri? url,
        [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        url = null;
        if (value is not { Length: <= 2_000 } || !Uri.TryCreate(value, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http")
            || (parsed.Scheme == "http" && !options.AllowHttp))
        {
            problem = Problems.Validation("invalid_webhook_url", "url must be an absolute https URL without credentials, at most 2000 characters.",
                new Dictionary<string, string[]> { ["url"] = ["An absolute https URL."] });
            return false;
        }

        if (!string.IsNullOrEmpty(parsed.UserInfo))
        {
            problem = Problems.Validation("invalid_webhook_url", "url must not carry credentials (user:password@); the signature authenticates deliveries.",
                new Dictionary<string, string[]> { ["url"] = ["A URL without user information."] });
            return false;
        }

        if (!options.AllowPrivateNetworks && WebhookAddresses.IsBlockedHost(parsed))
        {
            problem = Problems.Validation("webhook_address_not_allowed",
                "url points at a loopback, private, link-local or otherwise non-public address, or at a name reserved for one (such as "
                + "localhost); webhooks are delivered only to public addresses.",
                new Dictionary<string, string[]> { ["url"] = ["A host with a public address."] });
            return false;
        }

        url = parsed;
        problem = null;
        return true;
    }
}

internal sealed record PutWebhookRequest(
    [property: Required, StringLength(2000), Description("Where token.updated events are POSTed: https, a public host (not localhost or a private/internal address).")] string? Url,
    [property: Description("Issue a new signing secret; the replaced one keeps signing deliveries beside it until previousSecretExpiresAt "
        + "(Webhooks:SecretRotationOverlap, 24 h by default).")] bool? RotateSecret);

internal sealed record WebhookRegistration(
    string Url,
    [property: Description("whsec_<base64>: shown only when created or rotated; store it, it cannot be read again. Any Standard Webhooks "
        + "library takes it as it is.")] string? SigningSecret,
    [property: Description("Until when the secret replaced by the last rotation still signs deliveries (a second v1 entry in "
        + "webhook-signature); null when there is none.")] DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static WebhookRegistration Of(MerchantWebhook webhook, string? secret, DateTimeOffset now) =>
        new(webhook.Url, secret, webhook.PreviousSecretExpiresAt > now ? webhook.PreviousSecretExpiresAt : null, webhook.CreatedAt, webhook.UpdatedAt);
}

internal sealed record WebhookDeliveryPage(IReadOnlyList<WebhookDeliveryView> Items);

internal sealed record WebhookDeliveryView(
    [property: Description("The event's id (the webhook-id header).")] Guid EventId,
    int Attempt,
    string Url,
    [property: Description("The receiver's HTTP status; null when it did not answer.")] int? HttpStatus,
    [property: AllowedValues("delivered", "http_error", "timeout", "connection_failed", "address_blocked"), Description("delivered, http_error, timeout, connection_failed or address_blocked (the host resolved to a non-public address).")] string Outcome,
    int DurationMs,
    DateTimeOffset AttemptedAt);
