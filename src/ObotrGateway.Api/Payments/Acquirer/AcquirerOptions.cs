using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Hosting;

namespace ObotrGateway.Api.Payments.Acquirer;

/// <summary>The <c>Acquirer</c> section.</summary>
internal sealed class AcquirerOptions
{
    public const string Section = "Acquirer";

    [Required(ErrorMessage = "Acquirer:BaseUrl (env Acquirer__BaseUrl) is required, e.g. http://127.0.0.1:5081.")]
    [Url(ErrorMessage = "Acquirer:BaseUrl must be an absolute http(s) URL.")]
    public string BaseUrl { get; set; } = "";

    [Range(typeof(TimeSpan), "00:00:01", "00:02:00", ErrorMessage = "Acquirer:Timeout must be 1 s to 2 min.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Plain http to the acquirer outside Development (a local simulator only); off, boot refuses an http BaseUrl there.</summary>
    public bool AllowHttp { get; set; }
}

/// <summary>Outside Development the acquirer is reached over https only (it receives token numbers, cryptograms and PANs).</summary>
internal sealed class AcquirerOptionsValidator(IHostEnvironment? environment = null) : IValidateOptions<AcquirerOptions>
{
    public ValidateOptionsResult Validate(string? name, AcquirerOptions options) =>
        Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var url)
        && UpstreamTransport.HttpsViolation(environment, url, options.AllowHttp, "Acquirer:BaseUrl", "Acquirer:AllowHttp") is { } violation
            ? ValidateOptionsResult.Fail(violation)
            : ValidateOptionsResult.Success; // a missing or relative URL is reported by the attributes
}
