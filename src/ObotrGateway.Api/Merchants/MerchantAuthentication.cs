using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Persistence;

namespace ObotrGateway.Api.Merchants;

/// <summary>Who is calling: set by <see cref="MerchantKeyHandler"/> for every merchant request.</summary>
internal sealed record CallingMerchant(Guid MerchantId, string TokenRequestorId);

internal static class MerchantAccess
{
    public const string MerchantScheme = "MerchantKey";
    public const string AdminScheme = "AdminKey";
    public const string MerchantPolicy = "Merchant";
    public const string AdminPolicy = "Admin";
    private const string MerchantIdClaim = "merchant_id";
    private const string TridClaim = "trid";

    public static IServiceCollection AddMerchantAccess(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<AdminOptions>(configuration, AdminOptions.Section);
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, MerchantKeyHandler>(MerchantScheme, null)
            .AddScheme<AuthenticationSchemeOptions, AdminKeyHandler>(AdminScheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(MerchantPolicy, policy => policy.AddAuthenticationSchemes(MerchantScheme).RequireClaim(MerchantIdClaim))
            .AddPolicy(AdminPolicy, policy => policy.AddAuthenticationSchemes(AdminScheme).RequireRole("admin"));
        return services;
    }

    /// <summary>
    /// A group of merchant endpoints: merchant key required, Idempotency-Key honoured on writes, and a 503 problem's
    /// retry hint copied into the Retry-After header.
    /// </summary>
    public static RouteGroupBuilder MapMerchantGroup(this IEndpointRouteBuilder app, string prefix, string tag) =>
        Idempotency.IdempotencyRegistration.AcceptsIdempotencyKey(app.MapGroup(prefix)
            .RequireAuthorization(MerchantPolicy))
            .AddEndpointFilter(Problems.RetryAfterHeader)
            .WithTags(tag)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

    /// <summary>The authenticated merchant; endpoints behind <see cref="MerchantPolicy"/> always have one.</summary>
    public static CallingMerchant GetCallingMerchant(this ClaimsPrincipal user) =>
        new(Guid.Parse(user.FindFirstValue(MerchantIdClaim)!), user.FindFirstValue(TridClaim)!);

    /// <summary>The authenticated merchant, or null for admin, anonymous and NTU requests.</summary>
    public static CallingMerchant? CallingMerchantOrNull(this ClaimsPrincipal user) =>
        user.HasClaim(claim => claim.Type == MerchantIdClaim) ? user.GetCallingMerchant() : null;

    internal static ClaimsPrincipal MerchantPrincipal(Guid merchantId, string trid) =>
        new(new ClaimsIdentity([new Claim(MerchantIdClaim, merchantId.ToString()), new Claim(TridClaim, trid)], MerchantScheme));

    internal static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    /// <summary>
    /// 401 as a problem document with code <c>unauthorized</c> (no hint which part was wrong). A request that presented
    /// a key counts as a failed authentication of its address; past the limit it is answered 429 instead (ADR 0708).
    /// A request without any key is not a guess and is not counted.
    /// </summary>
    internal static async Task WriteUnauthorizedAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization.Count > 0
            && await context.RequestServices.GetRequiredService<Throttling.RequestThrottles>().FailedAuthenticationAsync(context) is { } wait)
        {
            await Throttling.RequestThrottles.WriteTooManyRequestsAsync(context, wait, "too_many_failed_authentications",
                "Too many failed authentications from this address.",
                "Retry after Retry-After seconds with a valid API key; valid keys are not affected.");
            return;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        await Problems.Create(StatusCodes.Status401Unauthorized, "unauthorized", "Missing or unknown API key.",
            "Send Authorization: Bearer <API key>.").ExecuteAsync(context);
    }
}

internal sealed class MerchantKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    GatewayDbContext db)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = MerchantAccess.BearerToken(Request);
        if (key is null || !ApiKeys.LooksLikeKey(key))
        {
            return AuthenticateResult.NoResult();
        }

        var hash = ApiKeys.Hash(key);
        var merchant = await db.Merchants.AsNoTracking()
            .Where(candidate => candidate.ApiKeyHash == hash)
            .Select(candidate => new { candidate.Id, candidate.TokenRequestorId, candidate.ApiKeyHash })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (merchant is null || !ApiKeys.HashesEqual(merchant.ApiKeyHash, hash))
        {
            return AuthenticateResult.Fail("unknown key");
        }

        var principal = MerchantAccess.MerchantPrincipal(merchant.Id, merchant.TokenRequestorId);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => MerchantAccess.WriteUnauthorizedAsync(Context);
}

internal sealed class AdminKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<AdminOptions> admin)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = MerchantAccess.BearerToken(Request);
        if (key is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        // Compare digests so the comparison is constant-time whatever the lengths.
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(admin.Value.ApiKey));
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown key"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Role, "admin")], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => MerchantAccess.WriteUnauthorizedAsync(Context);
}
