using DotNet.Testcontainers.Configurations;

namespace ObotrGateway.IntegrationTests.Infrastructure;

public sealed class TestServicesTests
{
    [Theory]
    [InlineData(null, false, "LocalServices")]
    [InlineData(null, true, "Testcontainers")]
    [InlineData("", true, "Testcontainers")]
    [InlineData("local", true, "LocalServices")]
    [InlineData(" Containers ", false, "Testcontainers")]
    public void Decide_docker_or_override_picks_the_source(string? choice, bool docker, string expected) =>
        TestServices.Decide(choice, () => docker).ShouldBe(Enum.Parse<ServiceSource>(expected));

    [Fact]
    public void Decide_unknown_override_is_refused() =>
        Should.Throw<InvalidOperationException>(() => TestServices.Decide("podman", () => true)).Message.ShouldContain(TestServices.ChoiceVariable);

    [Fact]
    public async Task Source_follows_the_docker_probe_which_never_throws()
    {
        var dockerReachable = Should.NotThrow(() => TestcontainersSettings.OS.DockerEndpointAuthConfig is not null);
        if (Environment.GetEnvironmentVariable(TestServices.ChoiceVariable) is null)
        {
            TestServices.Source.ShouldBe(dockerReachable ? ServiceSource.Testcontainers : ServiceSource.LocalServices);
        }

        await TestServices.EnsureReachableAsync();
    }
}
