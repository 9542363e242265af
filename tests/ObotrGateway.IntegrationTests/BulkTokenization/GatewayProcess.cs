using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.BulkTokenization;

/// <summary>
/// The built gateway (<c>dotnet ObotrGateway.Api.dll</c>) as its own OS process, configured like the fixture's
/// gateway through environment variables, so a test can kill it outright (no graceful shutdown, like kill -9).
/// Its console output is kept for the leak scan.
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private GatewayProcess(Process process, Uri address, ConcurrentQueue<string> output)
    {
        _process = process;
        Address = address;
        _output = output;
    }

    /// <summary>
    /// How long a process may take to answer /health/ready: its boot (JIT, pools, bus) on a loaded two-core machine
    /// took over a minute in the full suite. The attempt-counted loop this replaced allowed 150 polls of up to 2.2 s.
    /// </summary>
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(5);

    public Uri Address { get; }

    public IReadOnlyCollection<string> Output => _output;

    public static async Task<GatewayProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, ConcurrentQueue<string> output)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}/");
        var start = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(typeof(Program).Assembly.Location)!,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => Keep(output, line.Data);
        process.ErrorDataReceived += (_, line) => Keep(output, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var gateway = new GatewayProcess(process, address, output);
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var ready = await Eventually.LastAsync(async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("The gateway process exited at start:\n" + string.Join('\n', output.TakeLast(20)));
            }

            try
            {
                return (await http.GetAsync("/health/ready")).IsSuccessStatusCode;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                return false; // not listening yet, or too slow to answer: ask again
            }
        }, answered => answered, ReadyTimeout, TimeSpan.FromMilliseconds(200));
        if (ready)
        {
            return gateway;
        }

        await gateway.DisposeAsync();
        throw new InvalidOperationException("The gateway process did not become ready.");
    }

    /// <summary>
    /// Replicas of one deployment, started side by side (their boots overlap, as a rollout's pods do); if one fails to
    /// start, the others are killed rather than left running.
    /// </summary>
    public static async Task<GatewayProcess[]> StartReplicasAsync(int count, IReadOnlyDictionary<string, string?> settings, ConcurrentQueue<string> output)
    {
        var starting = Enumerable.Range(0, count).Select(_ => StartAsync(settings, output)).ToList();
        try
        {
            return await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var start in starting.Where(start => start.IsCompletedSuccessfully))
            {
                await start.Result.DisposeAsync();
            }

            throw;
        }
    }

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }

    public HttpClient MerchantClient(string apiKey)
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>No shutdown hooks, no draining: the process and its children are gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
