using Xunit.Abstractions;

[assembly: TestCollectionOrderer("ObotrGateway.IntegrationTests.Infrastructure.LongestFirst", "ObotrGateway.IntegrationTests")]

namespace ObotrGateway.IntegrationTests.Infrastructure;

/// <summary>
/// Starts the longest collections first. xUnit runs two collections at a time (xunit.runner.json) and otherwise orders
/// them by a hash of their ids, so a long one drawn last would run alone at the end while a core idles. The list is
/// the measured order (docs/operations.md, "Tests"); a collection not listed starts after these, by name.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    private static readonly string[] Longest =
    [
        GatewayProcessesTestGroup.Name,
        CardsTestGroup.Name,
        BulkTestGroup.Name,
        "MdesEndToEndTests",
        NotificationsTestGroup.Name,
        Simulator.Support.SimulatorCollectionDefinition.Name,
        GatewayTestGroup.Name,
        "SimulatorHostingTests",
        TokenLifecycleTestGroup.Name,
    ];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(Rank).ThenBy(collection => collection.DisplayName, StringComparer.Ordinal);

    private static int Rank(ITestCollection collection)
    {
        var rank = Array.FindIndex(Longest, name => collection.DisplayName == name || collection.DisplayName.EndsWith("." + name, StringComparison.Ordinal));
        return rank < 0 ? Longest.Length : rank;
    }
}
