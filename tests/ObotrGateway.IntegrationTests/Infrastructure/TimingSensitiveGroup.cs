namespace ObotrGateway.IntegrationTests.Infrastructure;

/// <summary>
/// Tests that measure real time (one-second TPS windows, how soon the cap is fully used): xUnit runs this collection
/// alone, after the parallel ones, so two gateway fixtures booting and RSA-heavy simulator tests on the same cores
/// do not stretch what they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitiveGroup
{
    public const string Name = "timing-sensitive";
}
