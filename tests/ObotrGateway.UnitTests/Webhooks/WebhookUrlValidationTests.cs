using Microsoft.AspNetCore.Http.HttpResults;
using ObotrGateway.Api.Webhooks;

namespace ObotrGateway.UnitTests.Webhooks;

public sealed class WebhookUrlValidationTests
{
    private static readonly WebhookOptions Production = new();
    private static readonly WebhookOptions Development = new() { AllowHttp = true, AllowPrivateNetworks = true };

    private static string? Code(ProblemHttpResult problem) => problem.ProblemDetails.Extensions["code"] as string;

    [Theory]
    [InlineData("https://merchant.example/hooks")]
    [InlineData("https://93.184.216.34:8443/hooks?x=1")]
    [InlineData("https://[2606:4700::6810:84e5]/hooks")]
    public void TryValidateUrl_public_https_url_is_accepted(string value)
    {
        WebhookEndpoints.TryValidateUrl(value, Production, out var url, out var problem).ShouldBeTrue();
        problem.ShouldBeNull();
        url.ShouldBe(new Uri(value));
    }

    [Theory]
    [InlineData("https://localhost/hooks")]
    [InlineData("https://127.0.0.1/hooks")]
    [InlineData("https://10.0.0.5/hooks")]
    [InlineData("https://172.20.1.1/hooks")]
    [InlineData("https://192.168.1.10/hooks")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://100.64.0.1/hooks")]
    [InlineData("https://0.0.0.0/hooks")]
    [InlineData("https://[::1]/hooks")]
    [InlineData("https://[::ffff:10.0.0.1]/hooks")]
    [InlineData("https://[fc00::1]/hooks")]
    [InlineData("https://metadata.google.internal/")]
    public void TryValidateUrl_internal_host_is_refused_with_its_own_code(string value)
    {
        WebhookEndpoints.TryValidateUrl(value, Production, out var url, out var problem).ShouldBeFalse();
        url.ShouldBeNull();
        problem!.StatusCode.ShouldBe(400);
        Code(problem).ShouldBe("webhook_address_not_allowed");
        problem.ProblemDetails.Type.ShouldBe("https://obotr-gateway.dev/problems/webhook_address_not_allowed");
    }

    [Theory]
    [InlineData("https://user:secret@merchant.example/hooks")]
    [InlineData("https://user@merchant.example/hooks")]
    [InlineData("https://user:secret@10.0.0.1/hooks")]
    [InlineData("http://merchant.example/hooks")] // http needs AllowHttp
    [InlineData("ftp://merchant.example/hooks")]
    [InlineData("/relative/hooks")]
    [InlineData("")]
    [InlineData(null)]
    public void TryValidateUrl_malformed_url_or_credentials_is_invalid_webhook_url(string? value)
    {
        WebhookEndpoints.TryValidateUrl(value, Production, out _, out var problem).ShouldBeFalse();
        Code(problem!).ShouldBe("invalid_webhook_url");
    }

    [Fact]
    public void TryValidateUrl_overlong_url_is_invalid_webhook_url()
    {
        var value = "https://merchant.example/" + new string('a', 2_000);
        WebhookEndpoints.TryValidateUrl(value, Production, out _, out var problem).ShouldBeFalse();
        Code(problem!).ShouldBe("invalid_webhook_url");
    }

    [Theory]
    [InlineData("http://127.0.0.1:5090/hooks")]
    [InlineData("http://localhost:5090/hooks")]
    [InlineData("https://10.0.0.5/hooks")]
    public void TryValidateUrl_private_address_is_accepted_when_private_networks_are_allowed(string value) =>
        WebhookEndpoints.TryValidateUrl(value, Development, out _, out _).ShouldBeTrue();

    [Fact]
    public void TryValidateUrl_credentials_are_refused_even_when_private_networks_are_allowed()
    {
        WebhookEndpoints.TryValidateUrl("http://user:secret@127.0.0.1/hooks", Development, out _, out var problem).ShouldBeFalse();
        Code(problem!).ShouldBe("invalid_webhook_url");
    }
}
