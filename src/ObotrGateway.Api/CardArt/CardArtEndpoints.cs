using System.ComponentModel;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using ObotrGateway.Api.CardArt.Imaging;
using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Merchants;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.CardArt;

/// <summary>
/// The card image and icon of a gateway token, from MDES productConfig: the combined background asset when there is
/// one, otherwise our composite of the components (docs/card-art.md). Everything served is immutable, so responses
/// are cacheable forever and revalidate by ETag.
/// </summary>
internal static class CardArtEndpoints
{
    private const string CacheForever = "max-age=31536000, immutable";

    // Bump when the compositor's output changes, so cached composites (and client caches, via the ETag) are not reused.
    private const string CompositeVersion = "composite-v2"; // v2: SkiaSharp rendering, anti-aliased PAN text (ADR 0302)

    public static RouteGroupBuilder MapCardArtEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/gateway-tokens/{gatewayToken}/card-art")
            .RequireAuthorization(MerchantAccess.MerchantPolicy)
            .AddEndpointFilter(Problems.RetryAfterHeader)
            .WithTags("Card art")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        group.MapGet("/", GetCardArt).WithName("GetCardArt")
            .Produces(StatusCodes.Status200OK, contentType: "image/png", additionalContentTypes: "application/pdf")
            .Produces(StatusCodes.Status304NotModified)
            .WithSummary("The card image to show for a gateway token (PNG 1536×969, or a PDF).")
            .WithDescription("The combined background asset when MDES provides one; otherwise background, issuer/co-brand logo and brand logo "
                + "composited at 1536×969. When a component is a PDF (vector) it cannot be composited and that PDF asset is returned instead "
                + "(the first PDF in the order background, issuer logo, co-brand logo, brand logo). panSuffix=true draws '•••• 1234' in "
                + "foregroundColor. ETag + Cache-Control immutable; If-None-Match → 304. 404 card_art_unavailable when MDES gave no art.");
        group.MapGet("/icon", GetCardArtIcon).WithName("GetCardArtIcon")
            .Produces(StatusCodes.Status200OK, contentType: "image/png", additionalContentTypes: "application/pdf")
            .Produces(StatusCodes.Status304NotModified)
            .WithSummary("The card's icon asset (iconAssetId).")
            .WithDescription("ETag + Cache-Control immutable; If-None-Match → 304. 404 card_art_unavailable when MDES gave no icon.");
        return group;
    }

    internal static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> GetCardArt(
        string gatewayToken, HttpContext context, GatewayDbContext db, CardArtAssetCache cache, CancellationToken cancellationToken,
        [Description("Draw '•••• ' and the card's last four digits in the product's foreground colour.")] bool panSuffix = false)
    {
        var merchant = context.User.GetCallingMerchant();
        var token = await db.FindGatewayTokenAsync(merchant, gatewayToken, cancellationToken);
        if (token is null)
        {
            return Problems.GatewayTokenNotFound();
        }

        var config = ProductConfigOf(token);
        if (config?.CardBackgroundCombinedAssetId is { Length: > 0 } combined)
        {
            return await ServeAssetAsync(context, cache, combined, token.TokenRequestorId, cancellationToken);
        }

        if (config?.CardBackgroundAssetId is not { Length: > 0 } background)
        {
            return Unavailable("MDES provided no card background for this token.");
        }

        var suffix = panSuffix ? token.PanSuffix : null;
        var key = CompositeKey(background, config.IssuerLogoAssetId, config.CoBrandLogoAssetId, config.BrandLogoAssetId, config.ForegroundColor, suffix);
        // The last four digits are fine to show but are the cardholder's: keep such images out of shared caches.
        var cacheControl = (suffix is null ? "public, " : "private, ") + CacheForever;
        if (NotModified(context, key, cacheControl) is { } notModified)
        {
            return notModified;
        }

        var composite = await cache.FindCompositeAsync(key, cancellationToken);
        if (composite is null)
        {
            try
            {
                composite = await ComposeAsync(cache, token.TokenRequestorId, background, config, suffix, cancellationToken);
            }
            catch (Exception exception) when (exception is MdesException or MdesUnavailableException or InvalidAssetException)
            {
                return ProblemFor(exception);
            }

            if (composite is null)
            {
                return Problems.Create(StatusCodes.Status502BadGateway, "card_art_invalid", "The network's card art cannot be used.",
                    "A card art component is neither a usable PNG nor a PDF.");
            }

            await cache.StoreCompositeAsync(key, composite);
        }

        return Serve(context, composite, key, cacheControl);
    }

    internal static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> GetCardArtIcon(
        string gatewayToken, HttpContext context, GatewayDbContext db, CardArtAssetCache cache, CancellationToken cancellationToken)
    {
        var token = await db.FindGatewayTokenAsync(context.User.GetCallingMerchant(), gatewayToken, cancellationToken);
        if (token is null)
        {
            return Problems.GatewayTokenNotFound();
        }

        return ProductConfigOf(token)?.IconAssetId is { Length: > 0 } icon
            ? await ServeAssetAsync(context, cache, icon, token.TokenRequestorId, cancellationToken)
            : Unavailable("MDES provided no icon for this token.");
    }

    /// <summary>The composite PNG, or the PDF component that prevents compositing; null when a component is unusable.</summary>
    private static async Task<CardArtContent?> ComposeAsync(CardArtAssetCache cache, string trid, string background, ProductConfig config,
        string? panSuffix, CancellationToken cancellationToken)
    {
        async Task<CardArtAsset?> Load(string? assetId)
        {
            if (string.IsNullOrEmpty(assetId))
            {
                return null;
            }

            var content = await cache.GetAssetAsync(assetId, trid, cancellationToken);
            return new CardArtAsset(content.Bytes, content.MediaType);
        }

        var backgroundAsset = (await Load(background))!;
        var issuerLogo = await Load(config.IssuerLogoAssetId);
        var coBrandLogo = await Load(config.CoBrandLogoAssetId);
        var brandLogo = await Load(config.BrandLogoAssetId);
        return CardArtImage.FromComponents(backgroundAsset, issuerLogo, coBrandLogo, brandLogo, config.ForegroundColor, panSuffix);
    }

    private static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> ServeAssetAsync(
        HttpContext context, CardArtAssetCache cache, string assetId, string trid, CancellationToken cancellationToken)
    {
        var etag = "asset-" + SafeTag(assetId);
        var cacheControl = "public, " + CacheForever;
        if (NotModified(context, etag, cacheControl) is { } notModified)
        {
            return notModified;
        }

        try
        {
            return Serve(context, await cache.GetAssetAsync(assetId, trid, cancellationToken), etag, cacheControl);
        }
        catch (Exception exception) when (exception is MdesException or MdesUnavailableException or InvalidAssetException)
        {
            return ProblemFor(exception);
        }
    }

    private static FileContentHttpResult Serve(HttpContext context, CardArtContent content, string etag, string cacheControl)
    {
        SetCacheHeaders(context, etag, cacheControl);
        return TypedResults.File(content.Bytes, content.MediaType);
    }

    private static StatusCodeHttpResult? NotModified(HttpContext context, string etag, string cacheControl)
    {
        var quoted = Quote(etag);
        var match = context.Request.Headers.IfNoneMatch.SelectMany(value => (value ?? "").Split(','))
            .Select(tag => tag.Trim())
            .Any(tag => tag == "*" || tag == quoted || tag == "W/" + quoted);
        if (!match)
        {
            return null;
        }

        SetCacheHeaders(context, etag, cacheControl);
        return TypedResults.StatusCode(StatusCodes.Status304NotModified);
    }

    private static void SetCacheHeaders(HttpContext context, string etag, string cacheControl)
    {
        context.Response.Headers.ETag = Quote(etag);
        context.Response.Headers.CacheControl = cacheControl;
    }

    private static string Quote(string etag) => "\"" + etag + "\"";

    /// <summary>Asset ids are UUID-like; anything else is hashed so the ETag stays a valid quoted string.</summary>
    private static string SafeTag(string assetId) =>
        assetId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? assetId
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(assetId)));

    /// <summary>A composite depends only on its component ids and drawing options, all immutable, hence the permanent key.</summary>
    internal static string CompositeKey(string background, string? issuerLogo, string? coBrandLogo, string? brandLogo, string? foregroundColor, string? panSuffix)
    {
        var material = string.Join('\n', CompositeVersion, background, issuerLogo, coBrandLogo, brandLogo, foregroundColor, panSuffix);
        return CompositeVersion + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)));
    }

    private static ProductConfig? ProductConfigOf(GatewayToken token) => ProductConfig.FromDocument(token.ProductConfig);

    private static ProblemHttpResult Unavailable(string detail) =>
        Problems.Create(StatusCodes.Status404NotFound, "card_art_unavailable", "There is no card art for this token.", detail);

    private static ProblemHttpResult ProblemFor(Exception exception) => exception switch
    {
        MdesUnavailableException unavailable => Problems.NetworkUnavailable(unavailable.RetryAfter ?? TimeSpan.FromSeconds(1)),
        MdesException refused => Problems.Create(StatusCodes.Status502BadGateway, "card_art_invalid", "The network's card art cannot be used.",
            $"MDES GetAsset failed: {refused.ReasonCode}."),
        _ => Problems.Create(StatusCodes.Status502BadGateway, "card_art_invalid", "The network's card art cannot be used.", exception.Message),
    };
}
