using System.Net;
using ObotrGateway.Api.Webhooks;

namespace ObotrGateway.UnitTests.Webhooks;

public sealed class WebhookAddressesTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("0.255.255.255")]
    [InlineData("10.0.0.0")]
    [InlineData("10.255.255.255")]
    [InlineData("100.64.0.0")]
    [InlineData("100.127.255.255")]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.255")]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.0.0")]
    [InlineData("172.16.0.0")]
    [InlineData("172.31.255.255")]
    [InlineData("192.0.0.170")]
    [InlineData("192.0.2.1")]
    [InlineData("192.88.99.1")]
    [InlineData("192.168.0.1")]
    [InlineData("192.168.255.255")]
    [InlineData("198.18.0.0")]
    [InlineData("198.19.255.255")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.9")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    public void IsBlocked_non_public_ipv4_is_blocked(string address) =>
        WebhookAddresses.IsBlocked(IPAddress.Parse(address)).ShouldBeTrue();

    [Theory]
    [InlineData("1.1.1.1")]
    [InlineData("8.8.8.8")]
    [InlineData("9.255.255.255")]
    [InlineData("11.0.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("126.255.255.255")]
    [InlineData("128.0.0.0")]
    [InlineData("169.253.255.255")]
    [InlineData("169.255.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("192.0.1.1")]
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.0")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.0")]
    [InlineData("223.255.255.255")]
    public void IsBlocked_public_ipv4_is_allowed(string address) =>
        WebhookAddresses.IsBlocked(IPAddress.Parse(address)).ShouldBeFalse();

    [Theory]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:0.0.0.0")]
    [InlineData("::10.0.0.1")] // IPv4-compatible (deprecated)
    [InlineData("::ffff:0:10.0.0.1")] // IPv4-translated
    [InlineData("64:ff9b::10.0.0.1")] // NAT64 of a private address
    [InlineData("64:ff9b::127.0.0.1")]
    [InlineData("64:ff9b:1::1")] // local-use NAT64
    [InlineData("100::1")] // discard-only
    [InlineData("fc00::1")]
    [InlineData("fd00:ec2::254")] // AWS metadata over IPv6
    [InlineData("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("fe80::1")]
    [InlineData("febf:ffff::1")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    [InlineData("ff0e::1")]
    [InlineData("2001::1")] // Teredo
    [InlineData("2001:2::1")] // benchmarking
    [InlineData("2001:db8::1")]
    [InlineData("2002:a00:1::1")] // 6to4 around 10.0.0.1
    [InlineData("3fff::1")]
    [InlineData("5f00::1")]
    [InlineData("1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")] // just below 2000::/3
    [InlineData("4000::1")] // just above
    public void IsBlocked_non_public_ipv6_is_blocked(string address) =>
        WebhookAddresses.IsBlocked(IPAddress.Parse(address)).ShouldBeTrue();

    [Theory]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:80b::200e")]
    [InlineData("2000::1")]
    [InlineData("2001:200::1")] // just above 2001::/23
    [InlineData("2001:4860:4860::8888")]
    [InlineData("3ffe::1")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::8.8.8.8")]
    public void IsBlocked_public_ipv6_is_allowed(string address) =>
        WebhookAddresses.IsBlocked(IPAddress.Parse(address)).ShouldBeFalse();

    [Fact]
    public void IsBlocked_ipv4_mapped_address_is_judged_by_its_ipv4_address()
    {
        var mapped = IPAddress.Parse("10.0.0.1").MapToIPv6();
        mapped.IsIPv4MappedToIPv6.ShouldBeTrue();
        WebhookAddresses.IsBlocked(mapped).ShouldBeTrue();
        WebhookAddresses.IsBlocked(IPAddress.Parse("93.184.216.34").MapToIPv6()).ShouldBeFalse();
    }

    [Theory]
    [InlineData("https://localhost/hooks")]
    [InlineData("https://LocalHost./hooks")]
    [InlineData("https://api.localhost/hooks")]
    [InlineData("https://printer.local/hooks")]
    [InlineData("https://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("https://router.home.arpa/")]
    [InlineData("https://127.0.0.1:8443/hooks")]
    [InlineData("https://127.0.0.1./hooks")]
    [InlineData("https://127.1/hooks")]
    [InlineData("https://2130706433/hooks")] // 127.0.0.1 as one number
    [InlineData("https://0x7f.0.0.1/hooks")]
    [InlineData("https://0.0.0.0/hooks")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://10.1.2.3/hooks")]
    [InlineData("https://[::1]/hooks")]
    [InlineData("https://[::ffff:10.0.0.1]/hooks")]
    [InlineData("https://[::ffff:7f00:1]/hooks")]
    [InlineData("https://[fd00::1]:8443/hooks")]
    [InlineData("https://[fe80::1%25eth0]/hooks")]
    public void IsBlockedHost_literal_internal_address_or_reserved_name_is_blocked(string url) =>
        WebhookAddresses.IsBlockedHost(new Uri(url)).ShouldBeTrue();

    [Theory]
    [InlineData("https://merchant.example/hooks")]
    [InlineData("https://localhost.merchant.example/hooks")]
    [InlineData("https://hooks.merchant.example.:8443/x")]
    [InlineData("https://93.184.216.34/hooks")]
    [InlineData("https://[2606:4700::6810:84e5]/hooks")]
    public void IsBlockedHost_public_literal_or_ordinary_name_is_allowed(string url) =>
        WebhookAddresses.IsBlockedHost(new Uri(url)).ShouldBeFalse();
}
