namespace ObotrGateway.Api.Merchants;

/// <summary>The <c>Admin</c> section: the operator's bearer key for /v1/admin.</summary>
internal sealed class AdminOptions
{
    public const string Section = "Admin";

    [System.ComponentModel.DataAnnotations.Required(ErrorMessage = "Admin:ApiKey (env Admin__ApiKey) is required.")]
    [System.ComponentModel.DataAnnotations.MinLength(24, ErrorMessage = "Admin:ApiKey must be at least 24 characters.")]
    public string ApiKey { get; set; } = "";
}
