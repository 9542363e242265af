using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Hosting;
using StackExchange.Redis;

namespace ObotrGateway.Api.Throttling;

/// <summary>
/// The two request throttles (ADR 0708), both counted in Redis so every replica enforces the same limit:
/// failed authentications per client address, and requests per merchant. Both fail open when Redis is down: a
/// throttle is a brake on abuse, not a control that guards data, and refusing every merchant because Redis
/// blinked would be a worse outage than a minute without a brake.
/// </summary>
internal sealed partial class RequestThrottles(RedisWindowCounter counter, IOptions<ThrottlingOptions> options, ILogger<RequestThrottles> logger)
{
    /// <summary>
    /// Counts one failed authentication for the caller's address. Returns how long to wait when the address is over
    /// its limit, null while it may still be told a plain 401.
    /// </summary>
    public async Task<TimeSpan?> FailedAuthenticationAsync(HttpContext context)
    {
        var settings = options.Value;
        var count = await CountAsync("auth:" + AddressBucket(context.Connection.RemoteIpAddress), settings.FailedAuthenticationWindow);
        if (count is not { } window || window.Count <= settings.FailedAuthenticationLimit)
        {
            return null;
        }

        if (window.Count == settings.FailedAuthenticationLimit + 1)
        {
            LogAddressThrottled(AddressBucket(context.Connection.RemoteIpAddress), settings.FailedAuthenticationLimit);
        }

        return window.ResetsIn;
    }

    /// <summary>Counts one request for the merchant; returns how long to wait when it is over its limit.</summary>
    public async Task<TimeSpan?> MerchantRequestAsync(Guid merchantId)
    {
        var settings = options.Value;
        var limit = settings.MerchantLimitFor(merchantId);
        var count = await CountAsync($"merchant:{merchantId:N}", settings.MerchantRequestWindow);
        if (count is not { } window || window.Count <= limit)
        {
            return null;
        }

        if (window.Count == limit + 1)
        {
            LogMerchantThrottled(merchantId, limit);
        }

        return window.ResetsIn;
    }

    private async Task<WindowCount?> CountAsync(string name, TimeSpan window)
    {
        try
        {
            return await counter.IncrementAsync(name, window);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogCounterUnavailable(exception.GetType().Name);
            return null;
        }
    }

    /// <summary>
    /// IPv4 by address; IPv6 by /64, the block one subscriber is given, or rotating through it would reset the count.
    /// An IPv4 address seen as IPv6 (::ffff:a.b.c.d) counts as itself.
    /// </summary>
    internal static string AddressBucket(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown"; // in-process test hosts have no socket
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>429 problem with Retry-After in whole seconds, rounded up so a client that waits it is never early.</summary>
    public static Task WriteTooManyRequestsAsync(HttpContext context, TimeSpan retryAfter, string code, string title, string detail)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Create(StatusCodes.Status429TooManyRequests, code, title, detail,
            new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds }).ExecuteAsync(context);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client address {Address} passed {Limit} failed authentications in its window; answering 429 until it ends")]
    private partial void LogAddressThrottled(string address, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Merchant {MerchantId} passed {Limit} requests in its window; answering 429 until it ends")]
    private partial void LogMerchantThrottled(Guid merchantId, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Throttle counter unavailable ({ExceptionType}); request let through unthrottled")]
    private partial void LogCounterUnavailable(string exceptionType);
}
