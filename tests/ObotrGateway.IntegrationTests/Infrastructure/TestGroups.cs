namespace ObotrGateway.IntegrationTests.Infrastructure;

// The integration suite's collections (docs/operations.md, "Tests"). xUnit runs collections in parallel (two at a time,
// xunit.runner.json) and the classes of one collection one after another. Each gateway collection gets its own
// GatewayFixture: database, queue and Redis prefixes, simulator and gateway. A class joins the collection of its feature,
// since the simulator's faults and the reconciler's passes are global to a fixture: classes that set faults must never
// share a simulator with a class running at the same time. A test that stops a broker starts its own (PrivateRabbitMq):
// the local one is every gateway's. What measures real time runs alone at the end (TimingSensitiveGroup).

/// <summary>Merchant administration, hosting (boot, health, headers, telemetry, hostile input) and throttling.</summary>
[CollectionDefinition(Name)]
public sealed class GatewayTestGroup : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}

/// <summary>Adding cards, payments, network tokens, cryptograms, idempotency, card art, search and the card-data scan.</summary>
[CollectionDefinition(Name)]
public sealed class CardsTestGroup : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway: cards and payments";
}

/// <summary>NTUs from MDES (inbox, forged, mutual TLS, issuer actions, state checks) and the webhooks they cause.</summary>
[CollectionDefinition(Name)]
public sealed class NotificationsTestGroup : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway: notifications and webhooks";
}

/// <summary>Suspend, resume, delete and retention of tokens, and the MDES client against the simulator.</summary>
[CollectionDefinition(Name)]
public sealed class TokenLifecycleTestGroup : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway: token lifecycle";
}

/// <summary>Bulk tokenization jobs: parsing, limits, cancellation, recovery of jobs without workers.</summary>
[CollectionDefinition(Name)]
public sealed class BulkTestGroup : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway: bulk tokenization";
}

/// <summary>
/// Gateway processes (GatewayProcess) killed mid-job and run as replicas of one deployment. A process boots slowly on a
/// busy machine (JIT, its own pools), so these classes never start processes at the same time: one collection.
/// </summary>
[CollectionDefinition(Name)]
public sealed class GatewayProcessesTestGroup : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway: processes";
}
