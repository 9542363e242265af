using System.Diagnostics;

namespace ObotrGateway.IntegrationTests.Infrastructure;

/// <summary>
/// <c>rabbitmqctl</c> against the tests' broker: inside its container under Testcontainers, otherwise the local
/// one services.sh started (the tests run where it runs).
/// </summary>
internal static class RabbitMqControl
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        if (TestServices.RabbitMqContainer is { } container)
        {
            var result = await container.ExecAsync(["rabbitmqctl", .. arguments]);
            return ((int)(result.ExitCode ?? -1), result.Stdout, result.Stderr);
        }

        return await RunProgramAsync(new ProcessStartInfo("rabbitmqctl", arguments));
    }

    /// <summary>Runs a RabbitMQ command-line tool to its end (also PrivateRabbitMq's own node and its rabbitmqctl).</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunProgramAsync(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        // Both streams read while it runs: a full pipe would block it.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    /// <summary>
    /// Deletes the durable queues a test run created (MassTransit names them after the run's queue prefix), so
    /// runs do not pile queues up on a long-lived broker. Best effort: housekeeping must not fail a green run.
    /// </summary>
    public static async Task DeleteQueuesAsync(string prefix)
    {
        try
        {
            var (exitCode, output, _) = await RunAsync("list_queues", "name", "--quiet", "--no-table-headers");
            if (exitCode != 0)
            {
                return;
            }

            foreach (var queue in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                         .Where(name => name.StartsWith(prefix, StringComparison.Ordinal)))
            {
                await RunAsync("delete_queue", queue);
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No rabbitmqctl on this machine (broker elsewhere): nothing to tidy from here.
        }
    }
}
