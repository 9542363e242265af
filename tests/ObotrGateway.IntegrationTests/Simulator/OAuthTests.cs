using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ObotrGateway.IntegrationTests.Simulator.Support;

namespace ObotrGateway.IntegrationTests.Simulator;

[Collection(SimulatorCollectionDefinition.Name)]
public sealed class OAuthTests(SimulatorFixture fixture)
{
    private readonly SimulatorHost _sim = fixture.Host;

    private static JsonObject TaskStatusBody() => new()
    {
        ["requestId"] = "r-1",
        ["tokenRequestorId"] = TestMdesClient.Trid,
        ["taskId"] = "unknown-task",
    };

    [Fact]
    public async Task Call_correctlySigned_reachesMdes()
    {
        var response = await _sim.Mdes.PostAsync(Paths.GetTaskStatus, TaskStatusBody());

        response.Status.ShouldBe(HttpStatusCode.BadRequest);
        response.ReasonCode.ShouldBe("INVALID_TASK_ID");
    }

    [Fact]
    public async Task Call_signedWithAnotherKey_failsAuthenticationFailed()
    {
        using var wrongKey = Support.Json.NewKey();

        var response = await _sim.Mdes.PostAsync(Paths.GetTaskStatus, TaskStatusBody(), new OAuthTamper(SigningKey: wrongKey));

        AssertGatewayError(response, "AUTHENTICATION_FAILED");
    }

    [Fact]
    public async Task Call_bodyChangedAfterSigning_failsInvalidBodyHash()
    {
        var signed = Encoding.UTF8.GetBytes(TaskStatusBody().ToJsonString());
        var sent = Encoding.UTF8.GetBytes(TaskStatusBody().ToJsonString().Replace("r-1", "r-2", StringComparison.Ordinal));

        var response = await _sim.Mdes.SendRawAsync(HttpMethod.Post, Paths.GetTaskStatus, sent, signedBody: signed);

        AssertGatewayError(response, "INVALID_BODY_HASH");
    }

    [Fact]
    public async Task Call_unknownConsumerKey_failsInvalidClientId()
    {
        var response = await _sim.Mdes.PostAsync(Paths.GetTaskStatus, TaskStatusBody(), new OAuthTamper(ConsumerKey: "not-a-known-key!abc"));

        AssertGatewayError(response, "INVALID_CLIENT_ID");
    }

    [Fact]
    public async Task Call_timestampTenMinutesOld_failsAuthenticationFailed()
    {
        var old = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds();

        var response = await _sim.Mdes.PostAsync(Paths.GetTaskStatus, TaskStatusBody(), new OAuthTamper(Timestamp: old));

        AssertGatewayError(response, "AUTHENTICATION_FAILED");
    }

    [Fact]
    public async Task Call_replayedNonce_failsAuthenticationFailed()
    {
        var nonce = Guid.NewGuid().ToString("N")[..16];
        (await _sim.Mdes.PostAsync(Paths.GetTaskStatus, TaskStatusBody(), new OAuthTamper(Nonce: nonce))).ReasonCode.ShouldBe("INVALID_TASK_ID");

        var replay = await _sim.Mdes.PostAsync(Paths.GetTaskStatus, TaskStatusBody(), new OAuthTamper(Nonce: nonce));

        AssertGatewayError(replay, "AUTHENTICATION_FAILED");
    }

    [Fact]
    public async Task Call_withoutAuthorizationHeader_failsAuthenticationFailed()
    {
        using var content = new StringContent(TaskStatusBody().ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _sim.Http.PostAsync(Paths.GetTaskStatus, content);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task GetAsset_signedWithEmptyBodyHash_isServed()
    {
        var response = await _sim.Mdes.SendRawAsync(HttpMethod.Get, Paths.Asset + "3f1c2a00-0000-4000-8000-000000000001", []);

        response.Status.ShouldBe(HttpStatusCode.OK);
        ((string)response.Body["mediaContents"]![0]!["type"]!).ShouldBe("image/png");
    }

    private static void AssertGatewayError(MdesResponse response, string reasonCode)
    {
        response.Status.ShouldBe(HttpStatusCode.Unauthorized);
        var error = response.Body["Errors"]!["Error"]![0]!;
        ((string)error["Source"]!).ShouldBe("Gateway");
        ((string)error["ReasonCode"]!).ShouldBe(reasonCode);
        ((bool)error["Recoverable"]!).ShouldBeFalse();
    }
}
