namespace ObotrGateway.Api.Hosting;

internal static class Logging
{
    /// <summary>One JSON object per line on stdout: what log shippers and `jq` expect.</summary>
    public static WebApplicationBuilder AddJsonConsoleLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(options =>
        {
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            options.IncludeScopes = true;
        });
        return builder;
    }

    /// <summary>
    /// Small default body limit: merchant requests are small JSON documents. Endpoints that take uploads
    /// (bulk tokenization) raise it for themselves.
    /// </summary>
    public static WebApplicationBuilder AddRequestLimits(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 64 * 1024);
        builder.Services.AddShutdownTimeout(builder.Configuration);
        return builder;
    }
}
