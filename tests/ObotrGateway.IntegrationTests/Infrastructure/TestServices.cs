using System.Net.Sockets;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using Npgsql;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;
using Testcontainers.Redis;

namespace ObotrGateway.IntegrationTests.Infrastructure;

/// <summary>Where the integration tests' PostgreSQL, Redis and RabbitMQ come from (ADR 0003).</summary>
internal enum ServiceSource
{
    /// <summary>The servers deploy/local/services.sh starts (or any named by <c>ConnectionStrings__*</c>).</summary>
    LocalServices,

    /// <summary>Throw-away containers started by Testcontainers, because a Docker engine answered.</summary>
    Testcontainers,
}

/// <summary>
/// Connection strings for the real PostgreSQL, Redis and RabbitMQ of this test process: one fixture, two
/// sources, chosen once at first use and logged once. A reachable Docker engine means Testcontainers starts the
/// three servers (the Debian versions of ADR 0002); otherwise the tests use the local services, as
/// deploy/local/test.sh starts them. <c>OBOTR_TEST_SERVICES=local</c> or <c>=containers</c> overrides the
/// choice. A missing service fails the run with a message saying how to start it: integration tests never skip.
/// </summary>
internal static class TestServices
{
    public const string ChoiceVariable = "OBOTR_TEST_SERVICES";

    private static readonly Lazy<Endpoints> Current = new(Choose, LazyThreadSafetyMode.ExecutionAndPublication);

    public static ServiceSource Source => Current.Value.Source;

    public static string Postgres => Current.Value.Postgres;

    public static string Redis => Current.Value.Redis;

    public static string RabbitMq => Current.Value.RabbitMq;

    /// <summary>The broker container when <see cref="Source"/> is Testcontainers (rabbitmqctl runs inside it).</summary>
    public static IContainer? RabbitMqContainer => Current.Value.RabbitMqContainer;

    public static async Task EnsureReachableAsync()
    {
        var postgres = new NpgsqlConnectionStringBuilder(Postgres);
        var rabbit = new Uri(RabbitMq);
        var redis = Redis.Split(',')[0].Split(':');
        await EnsurePortAsync("PostgreSQL", postgres.Host!, postgres.Port);
        await EnsurePortAsync("Redis", redis[0], redis.Length > 1 ? int.Parse(redis[1], System.Globalization.CultureInfo.InvariantCulture) : 6379);
        await EnsurePortAsync("RabbitMQ", rabbit.Host, rabbit.Port > 0 ? rabbit.Port : 5672);
    }

    /// <summary>
    /// Docker is looked for without throwing: Testcontainers resolves no endpoint (null) when no engine answers,
    /// whereas building a container would throw DockerUnavailableException.
    /// </summary>
    internal static ServiceSource Decide(string? choice, Func<bool> dockerReachable) => choice?.Trim().ToLowerInvariant() switch
    {
        "local" => ServiceSource.LocalServices,
        "containers" => ServiceSource.Testcontainers,
        null or "" => dockerReachable() ? ServiceSource.Testcontainers : ServiceSource.LocalServices,
        _ => throw new InvalidOperationException($"{ChoiceVariable} must be 'local' or 'containers', not '{choice}'."),
    };

    private static Endpoints Choose()
    {
        var choice = Environment.GetEnvironmentVariable(ChoiceVariable);
        var source = Decide(choice, () => TestcontainersSettings.OS.DockerEndpointAuthConfig is not null);
        var endpoints = source == ServiceSource.Testcontainers ? StartContainers() : LocalServices();
        var why = string.IsNullOrWhiteSpace(choice) ? (source == ServiceSource.Testcontainers ? "a Docker engine answered" : "no Docker engine") : $"{ChoiceVariable}={choice}";
        // Once per test process, on the test host's stderr (dotnet test shows it with --logger "console;verbosity=detailed").
        Console.Error.WriteLine($"[integration tests] services: {source} ({why}) — PostgreSQL {Describe(endpoints.Postgres)}, "
            + $"Redis {endpoints.Redis.Split(',')[0]}, RabbitMQ {new Uri(endpoints.RabbitMq).Authority}");
        return endpoints;
    }

    private static Endpoints LocalServices() => new(
        ServiceSource.LocalServices,
        Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") ?? "Host=127.0.0.1;Port=5432;Database=obotr;Username=obotr;Password=obotr",
        Environment.GetEnvironmentVariable("ConnectionStrings__Redis") ?? "127.0.0.1:6379",
        Environment.GetEnvironmentVariable("ConnectionStrings__RabbitMq") ?? "amqp://guest:guest@127.0.0.1:5672/",
        null);

    // Started once per test process and left to Testcontainers' resource reaper, which removes them when the
    // process ends (however it ends); the same major versions as the Debian services (ADR 0002).
    private static Endpoints StartContainers()
    {
        var postgres = new PostgreSqlBuilder("postgres:15").Build();
        var redis = new RedisBuilder("redis:7.0").Build();
        var rabbit = new RabbitMqBuilder("rabbitmq:3.10").Build();
        Task.WaitAll(postgres.StartAsync(), redis.StartAsync(), rabbit.StartAsync());
        return new(ServiceSource.Testcontainers, postgres.GetConnectionString(), redis.GetConnectionString(), rabbit.GetConnectionString(), rabbit);
    }

    private static string Describe(string postgres)
    {
        var builder = new NpgsqlConnectionStringBuilder(postgres);
        return $"{builder.Host}:{builder.Port}";
    }

    private static async Task EnsurePortAsync(string name, string host, int port)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await client.ConnectAsync(host, port, timeout.Token);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            throw new InvalidOperationException(
                $"{name} is not reachable at {host}:{port}. Start the local services with ./deploy/local/services.sh "
                + "(./deploy/local/test.sh does it for you)." + (Environment.GetEnvironmentVariable("CI") is null ? "" : " CI requires every service."),
                exception);
        }
    }

    private sealed record Endpoints(ServiceSource Source, string Postgres, string Redis, string RabbitMq, IContainer? RabbitMqContainer);
}
