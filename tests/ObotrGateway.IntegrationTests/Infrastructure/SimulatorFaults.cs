using System.Net.Http.Json;

namespace ObotrGateway.IntegrationTests.Infrastructure;

/// <summary>
/// Faults on the fixture's simulator for the length of one action, cleared whatever the action does. Faults are global
/// to a simulator: only classes of one collection (run one after another) share it (TestGroups.cs).
/// </summary>
public static class SimulatorFaults
{
    public static async Task<T> WithFaultsAsync<T>(this GatewayFixture fixture, object faults, Func<Task<T>> action)
    {
        (await fixture.Simulator.Http.PostAsJsonAsync("/simulator/faults", faults)).EnsureSuccessStatusCode();
        try
        {
            return await action();
        }
        finally
        {
            (await fixture.Simulator.Http.DeleteAsync("/simulator/faults")).EnsureSuccessStatusCode();
        }
    }

    public static async Task WithFaultsAsync(this GatewayFixture fixture, object faults, Func<Task> action) =>
        await fixture.WithFaultsAsync(faults, async () =>
        {
            await action();
            return true;
        });
}
