using System.Text.Json.Nodes;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.IntegrationTests.Simulator.Support;

namespace ObotrGateway.IntegrationTests.Simulator;

/// <summary>The host runs with Simulator:NtuRetryTimeScale = 0.0001 (2 h become 720 ms).</summary>
[Collection(SimulatorCollectionDefinition.Name)]
public sealed class NotificationRetryTests(SimulatorFixture fixture)
{
    private readonly SimulatorHost _sim = fixture.Host;

    private async Task<string> TokenizeWithScriptAsync(string pan, params (int, string?)[] answers)
    {
        var tur = (string)(await _sim.Mdes.TokenizeAsync(pan)).Body["tokenUniqueReference"]!;
        _sim.Ntu.Script(tur, answers);
        return tur;
    }

    private async Task<JsonObject> DeliveryAsync(string tur, string finalState)
    {
        return (await Eventually.ReachesAsync(
            async () => (await _sim.GetJsonAsync("/simulator/notifications?tokenUniqueReference=" + tur))["notifications"]!.AsArray().FirstOrDefault()?.AsObject(),
            delivery => (string?)delivery?["state"] == finalState, TimeSpan.FromSeconds(15), _ => $"Delivery for {tur} never reached {finalState}",
            TimeSpan.FromMilliseconds(50)))!;
    }

    [Fact]
    public async Task Ntu_500ThenRetryAfter503_isRetriedAndHonoursRetryAfter()
    {
        var tur = await TokenizeWithScriptAsync("5204730000100144", (500, null), (500, null), (503, "3600"));

        var delivery = await DeliveryAsync(tur, "DELIVERED");

        var attempts = delivery["attempts"]!.AsArray();
        attempts.Select(a => (string)a!["outcome"]!).ShouldBe(["HTTP_500", "HTTP_500", "HTTP_503", "DELIVERED"]);
        // Retry-After 3600 s x 0.0001 replaces the third quick retry and counts as that retry.
        ((long)attempts[2]!["nextRetryInMs"]!).ShouldBe(360);
        var received = _sim.Ntu.For(tur);
        received.Count.ShouldBe(4);
        (received[3].At - received[2].At).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(330));
        received.Select(r => (string)r.Envelope["requestId"]!).Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task Ntu_failingEveryTime_followsFullScheduleThenGivesUp()
    {
        var tur = await TokenizeWithScriptAsync("5204730000100151", Enumerable.Repeat<(int, string?)>((500, null), 10).ToArray());

        var delivery = await DeliveryAsync(tur, "FAILED");

        var attempts = delivery["attempts"]!.AsArray();
        attempts.Count.ShouldBe(7);
        attempts.Select(a => (long?)a!["nextRetryInMs"]).ShouldBe([0L, 0L, 0L, 90L, 180L, 720L, null]);
        var received = _sim.Ntu.For(tur);
        (received[6].At - received[5].At).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(650));
    }

    [Fact]
    public async Task Ntu_302_isRetriedNotFollowed()
    {
        var tur = await TokenizeWithScriptAsync("5204730000100169", (302, null));

        var delivery = await DeliveryAsync(tur, "DELIVERED");

        delivery["attempts"]!.AsArray().Select(a => (string)a!["outcome"]!).ShouldBe(["HTTP_302", "DELIVERED"]);
    }

    [Fact]
    public async Task Ntu_404_isNotRetried()
    {
        var tur = await TokenizeWithScriptAsync("5204730000100177", (404, null));

        var delivery = await DeliveryAsync(tur, "FAILED");

        delivery["attempts"]!.AsArray().Count.ShouldBe(1);
    }
}
