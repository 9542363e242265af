using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using ObotrGateway.Api.Hosting;
using ObotrGateway.Api.Payments.Acquirer;
using ObotrGateway.Api.Throttling;

namespace ObotrGateway.UnitTests.Throttling;

public sealed class ThrottlingTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void AddressBucket_ipv4_by_address_ipv6_by_64(string address, string bucket) =>
        RequestThrottles.AddressBucket(IPAddress.Parse(address)).ShouldBe(bucket);

    [Fact]
    public void AddressBucket_without_a_socket_is_one_shared_bucket() => RequestThrottles.AddressBucket(null).ShouldBe("unknown");

    [Fact]
    public void MerchantLimitFor_uses_the_override_for_that_merchant_only()
    {
        var special = Guid.NewGuid();
        var options = new ThrottlingOptions { MerchantRequestLimit = 50, MerchantRequestLimitOverrides = { [special.ToString()] = 5 } };

        options.MerchantLimitFor(special).ShouldBe(5);
        options.MerchantLimitFor(Guid.NewGuid()).ShouldBe(50);
    }

    [Theory]
    [InlineData("not-a-guid", 5)]
    [InlineData("9f1c9b2e-0000-4000-8000-000000000001", 0)]
    public void Validate_bad_override_names_the_setting(string key, int limit)
    {
        var options = new ThrottlingOptions { MerchantRequestLimitOverrides = { [key] = limit } };

        var results = options.Validate(new ValidationContext(options)).ToList();

        results.ShouldHaveSingleItem().ErrorMessage.ShouldNotBeNull().ShouldContain($"Throttling:MerchantRequestLimitOverrides:{key}");
    }

    private static HostingEnvironment Environment(string name) => new() { EnvironmentName = name };

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData("Testing")]
    public void HttpsViolation_http_outside_development_names_the_setting(string environment) =>
        UpstreamTransport.HttpsViolation(Environment(environment), new Uri("http://mdes.example/mdes"), false, "Mdes:BaseUrl", "Mdes:AllowHttp")
            .ShouldNotBeNull().ShouldStartWith("Mdes:BaseUrl must be an https URL");

    [Fact]
    public void HttpsViolation_https_development_or_explicit_opt_out_pass()
    {
        UpstreamTransport.HttpsViolation(Environment(Environments.Production), new Uri("https://mdes.example/"), false, "s", "a").ShouldBeNull();
        UpstreamTransport.HttpsViolation(Environment(Environments.Development), new Uri("http://127.0.0.1:5081/"), false, "s", "a").ShouldBeNull();
        UpstreamTransport.HttpsViolation(Environment(Environments.Production), new Uri("http://simulator:8080/"), true, "s", "a").ShouldBeNull();
    }

    [Fact]
    public void AcquirerOptionsValidator_http_in_production_fails_naming_Acquirer_BaseUrl()
    {
        var validator = new AcquirerOptionsValidator(Environment(Environments.Production));

        var result = validator.Validate(null, new AcquirerOptions { BaseUrl = "http://acquirer.example" });

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldNotBeNull().ShouldContain("Acquirer:BaseUrl");
        validator.Validate(null, new AcquirerOptions { BaseUrl = "https://acquirer.example" }).Succeeded.ShouldBeTrue();
    }
}
