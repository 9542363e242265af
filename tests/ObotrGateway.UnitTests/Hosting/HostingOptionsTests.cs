using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ObotrGateway.Api.Hosting;

namespace ObotrGateway.UnitTests.Hosting;

public sealed class HostingOptionsTests
{
    private static List<string?> Validate(NetworkOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(result => result.ErrorMessage)];
    }

    private static HostOptions HostOptionsFrom(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value))).Build();
        using var provider = new ServiceCollection().AddShutdownTimeout(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<HostOptions>>().Value;
    }

    [Fact]
    public void Network_options_with_addresses_and_cidr_networks_are_valid_and_empty_trusts_no_proxy()
    {
        Validate(new NetworkOptions { TrustedProxies = ["10.0.0.5", "fd00::5"], TrustedNetworks = ["10.1.0.0/16", "fd00::/64"] }).ShouldBeEmpty();
        new NetworkOptions().TrustsAnyProxy.ShouldBeFalse();
    }

    [Fact]
    public void Network_options_with_a_bad_address_or_network_are_refused_naming_the_setting() =>
        Validate(new NetworkOptions { TrustedProxies = ["10.0.0.0/8"], TrustedNetworks = ["10.1.0.0/40"] })
            .ShouldBe(["Network:TrustedProxies:0 must be an IP address.", "Network:TrustedNetworks:0 must be a network in CIDR notation (10.0.0.0/24)."],
                ignoreOrder: true);

    [Fact]
    public void Shutdown_timeout_is_20_seconds_unless_host_options_say_otherwise()
    {
        HostOptionsFrom().ShutdownTimeout.ShouldBe(TimeSpan.FromSeconds(20));
        HostOptionsFrom(("HostOptions:ShutdownTimeout", "00:00:45")).ShutdownTimeout.ShouldBe(TimeSpan.FromSeconds(45));
    }

    [Fact]
    public void Shutdown_timeout_outside_1_second_to_10_minutes_is_refused() =>
        Should.Throw<OptionsValidationException>(() => HostOptionsFrom(("HostOptions:ShutdownTimeout", "00:00:00")));
}
