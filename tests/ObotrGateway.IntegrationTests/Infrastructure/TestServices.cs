using System.Net.Sockets;
using Npgsql;

namespace ObotrGateway.IntegrationTests.Infrastructure;

/// <summary>
/// Connection strings for the real PostgreSQL, Redis and RabbitMQ that deploy/local/test.sh starts. A missing
/// service fails the run with a message saying how to start it: integration tests never skip.
/// </summary>
internal static class TestServices
{
    public static string Postgres { get; } = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
        ?? "Host=127.0.0.1;Port=5432;Database=obotr;Username=obotr;Password=obotr";

    public static string Redis { get; } = Environment.GetEnvironmentVariable("ConnectionStrings__Redis") ?? "127.0.0.1:6379";

    public static string RabbitMq { get; } = Environment.GetEnvironmentVariable("ConnectionStrings__RabbitMq")
        ?? "amqp://guest:guest@127.0.0.1:5672/";

    public static async Task EnsureReachableAsync()
    {
        var postgres = new NpgsqlConnectionStringBuilder(Postgres);
        var rabbit = new Uri(RabbitMq);
        var redis = Redis.Split(',')[0].Split(':');
        await EnsurePortAsync("PostgreSQL", postgres.Host!, postgres.Port);
        await EnsurePortAsync("Redis", redis[0], redis.Length > 1 ? int.Parse(redis[1], System.Globalization.CultureInfo.InvariantCulture) : 6379);
        await EnsurePortAsync("RabbitMQ", rabbit.Host, rabbit.Port > 0 ? rabbit.Port : 5672);
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
}
