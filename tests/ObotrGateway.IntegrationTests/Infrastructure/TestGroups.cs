namespace ObotrGateway.IntegrationTests.Infrastructure;

// The integration suite's collections (docs/operations.md, "Tests"). xUnit runs collections in parallel (two at a time,
// xunit.runner.json) and the classes of one collection one after another. Each gateway collection gets its own
// GatewayFixture: database, queue and Redis prefixes, simulator and gateway. A class joins the collection of its feature,
// since the simulator's faults and the reconciler's passes are global to a fixture: classes that set faults must never
// share a simulator with a class running at the same time. What cannot run beside anything else is in the serial
// collections at the end (BrokerOutageGroup, TimingSensitiveGroup).

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

/// <summary>Bulk tokenization jobs: parsing, recovery, a crashed worker process.</summary>
[CollectionDefinition(Name)]
public sealed class BulkTestGroup : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway: bulk tokenization";
}

/// <summary>Gateway processes as replicas of one deployment, with a replica killed and a private broker restarted.</summary>
[CollectionDefinition(Name)]
public sealed class ReplicasTestGroup : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway: replicas";
}

/// <summary>
/// Tests that stop the broker every test of this process shares (rabbitmqctl stop_app on the local RabbitMQ): every other
/// gateway would lose its bus meanwhile, so xUnit runs this collection alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerOutageGroup : ICollectionFixture<GatewayFixture>
{
    public const string Name = "broker outage";
}
