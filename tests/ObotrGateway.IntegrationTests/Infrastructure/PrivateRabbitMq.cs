using System.Diagnostics;

namespace ObotrGateway.IntegrationTests.Infrastructure;

/// <summary>
/// A RabbitMQ node of one test's own: its name, AMQP and distribution ports, data and log directories and Erlang
/// cookie all private, so the test can stop and start it without touching the broker everyone else's tests share
/// (every gateway of every collection, and of other test runs on the machine, uses that one). Needs the RabbitMQ server
/// installed where the tests run, as deploy/local/services.sh installs it.
/// </summary>
internal sealed class PrivateRabbitMq : IAsyncDisposable
{
    // The Debian wrapper in /usr/sbin switches to the rabbitmq user and its home (the shared node's cookie): the
    // scripts behind it run the node as whoever starts them.
    private static readonly string Bin = Directory.Exists("/usr/lib/rabbitmq/bin") ? "/usr/lib/rabbitmq/bin/" : "";

    private readonly DirectoryInfo _directory;
    private readonly string _node;

    private PrivateRabbitMq(DirectoryInfo directory, string node, int port)
    {
        _directory = directory;
        _node = node;
        ConnectionString = $"amqp://guest:guest@127.0.0.1:{port}/";
    }

    /// <summary>guest may log in over loopback, as on the shared broker.</summary>
    public string ConnectionString { get; }

    public static async Task<PrivateRabbitMq> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("obotr-rabbitmq-");
        var cookie = Path.Combine(directory.FullName, ".erlang.cookie");
        await File.WriteAllTextAsync(cookie, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(cookie, UnixFileMode.UserRead); // Erlang refuses a cookie others can read
        }
        // No plugins: the management plugin would want port 15672, which the shared node holds.
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "enabled_plugins"), "[].");
        var port = GatewayFixture.FreePort();
        var rabbit = new PrivateRabbitMq(directory, $"obotr-{Guid.NewGuid().ToString("N")[..8]}@localhost", port);
        var start = rabbit.Tool("/bin/sh", "-c", "exec \"$0\" -detached >\"$1\" 2>&1", Bin + "rabbitmq-server",
            Path.Combine(directory.FullName, "start.log"));
        start.Environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        start.Environment["RABBITMQ_NODE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Chosen, not derived: the default (AMQP port + 20000) could land on a port the shared node's tools use.
        start.Environment["RABBITMQ_DIST_PORT"] = GatewayFixture.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory.FullName, "mnesia");
        start.Environment["RABBITMQ_LOG_BASE"] = Path.Combine(directory.FullName, "log");
        start.Environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory.FullName, "enabled_plugins");
        var (exitCode, _, _) = await RabbitMqControl.RunProgramAsync(start);
        if (exitCode != 0)
        {
            await rabbit.DisposeAsync();
            throw new InvalidOperationException($"rabbitmq-server -detached exited with {exitCode}");
        }

        // The detached node registers with epmd a moment after the command returns: until then await_startup fails at once.
        var (code, _, error) = await Eventually.LastAsync(() => rabbit.CtlAsync("await_startup", "--timeout", "30"), started => started.ExitCode == 0,
            TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));
        if (code != 0)
        {
            await rabbit.DisposeAsync();
            throw new InvalidOperationException("The private RabbitMQ node did not start: " + error);
        }

        return rabbit;
    }

    /// <summary>The broker goes away (connections closed, nothing accepted); the Erlang node stays for start_app.</summary>
    public async Task StopAppAsync() => await MustAsync("stop_app");

    public async Task StartAppAsync()
    {
        await MustAsync("start_app");
        await MustAsync("await_startup");
    }

    private async Task MustAsync(string command)
    {
        var (exitCode, _, error) = await CtlAsync(command);
        exitCode.ShouldBe(0, error);
    }

    private Task<(int ExitCode, string Output, string Error)> CtlAsync(params string[] arguments) =>
        RabbitMqControl.RunProgramAsync(Tool(Bin + "rabbitmqctl", ["-q", "-n", _node, .. arguments]));

    /// <summary>A command with this node's identity: its cookie is read from HOME.</summary>
    private ProcessStartInfo Tool(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { WorkingDirectory = _directory.FullName };
        start.Environment["HOME"] = _directory.FullName;
        start.Environment["RABBITMQ_NODENAME"] = _node;
        return start;
    }

    public async ValueTask DisposeAsync()
    {
        await CtlAsync("stop");
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a node on its way down: a temp directory left behind fails nothing.
        }
    }
}
