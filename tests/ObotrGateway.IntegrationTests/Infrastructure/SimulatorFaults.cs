using System.Net;
using ObotrGateway.IntegrationTests.Simulator.Support;

namespace ObotrGateway.IntegrationTests.Infrastructure;

/// <summary>
/// Faults on a simulator for the length of one action, cleared whatever the action does. Faults are global to a
/// simulator: only classes of one collection (run one after another) share it (TestGroups.cs).
/// </summary>
public static class SimulatorFaults
{
    public static async Task<T> WithFaultsAsync<T>(this SimulatorHost simulator, object faults, Func<Task<T>> action)
    {
        (await simulator.ConsoleAsync("/simulator/faults", faults)).Status.ShouldBe(HttpStatusCode.OK);
        try
        {
            return await action();
        }
        finally
        {
            (await simulator.ConsoleAsync("/simulator/faults", new { }, HttpMethod.Delete)).Status.ShouldBe(HttpStatusCode.OK);
        }
    }

    public static async Task WithFaultsAsync(this SimulatorHost simulator, object faults, Func<Task> action) =>
        await simulator.WithFaultsAsync(faults, async () =>
        {
            await action();
            return true;
        });
}
