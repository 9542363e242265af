using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using ObotrGateway.Api.Notifications;

namespace ObotrGateway.UnitTests.Notifications;

public sealed class NotificationOptionsValidatorTests
{
    private static NotificationOptionsValidator Validator(string environment) => new(new HostingEnvironment { EnvironmentName = environment });

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData("Testing")]
    public void Validate_unprotectedCallbackOutsideDevelopment_failsNamingTheSetting(string environment)
    {
        var result = Validator(environment).Validate(null, new NotificationOptions());

        result.Failed.ShouldBeTrue();
        result.FailureMessage!.ShouldContain("Notifications:RequireClientCertificate");
        result.FailureMessage!.ShouldContain("Notifications:AllowUnauthenticatedCallbacks");
    }

    [Fact]
    public void Validate_unprotectedCallbackInDevelopment_succeeds() =>
        Validator(Environments.Development).Validate(null, new NotificationOptions()).Succeeded.ShouldBeTrue();

    [Fact]
    public void Validate_explicitOptOutInProduction_succeeds() =>
        Validator(Environments.Production).Validate(null, new NotificationOptions { AllowUnauthenticatedCallbacks = true }).Succeeded.ShouldBeTrue();

    [Fact]
    public void Validate_mutualTlsWithAPinInProduction_succeeds() =>
        Validator(Environments.Production).Validate(null, new NotificationOptions { RequireClientCertificate = true, AllowedClientCertificateSubjects = ["CN=mdes"] })
            .Succeeded.ShouldBeTrue();

    [Fact]
    public void Validate_mutualTlsWithoutAnyPin_fails() =>
        Validator(Environments.Production).Validate(null, new NotificationOptions { RequireClientCertificate = true })
            .FailureMessage!.ShouldContain("Notifications:AllowedClientCertificateThumbprints");

    [Fact]
    public void Validate_callerNetworkNotCidr_failsNamingTheEntry() =>
        Validator(Environments.Development).Validate(null, new NotificationOptions { AllowedCallerNetworks = ["10.0.0.0/8", "mdes.example"] })
            .FailureMessage!.ShouldContain("Notifications:AllowedCallerNetworks:1");

    [Theory]
    [InlineData("203.0.113.7", true)]
    [InlineData("::ffff:203.0.113.7", true)]
    [InlineData("198.51.100.1", false)]
    [InlineData(null, false)]
    public void IsCallerNetworkAllowed_withAnAllowList_admitsOnlyItsNetworks(string? address, bool allowed) =>
        ClientCertificateFilter.IsCallerNetworkAllowed(new NotificationOptions { AllowedCallerNetworks = ["203.0.113.0/24"] },
            address is null ? null : System.Net.IPAddress.Parse(address)).ShouldBe(allowed);

    [Fact]
    public void IsCallerNetworkAllowed_withoutAnAllowList_admitsAnyAddress() =>
        ClientCertificateFilter.IsCallerNetworkAllowed(new NotificationOptions(), System.Net.IPAddress.Parse("198.51.100.1")).ShouldBeTrue();
}
