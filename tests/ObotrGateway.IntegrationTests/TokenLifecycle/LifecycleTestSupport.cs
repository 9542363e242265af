using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ObotrGateway.Api.Cryptograms;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.TokenLifecycle;

/// <summary>Reads the lifecycle tests need: our stored TURs and the simulator's request log.</summary>
internal static class LifecycleTestSupport
{
    /// <summary>Adds <paramref name="count"/> cards (a few at a time, within the TPS cap) and returns their gateway tokens.</summary>
    public static async Task<List<string>> AddCardsAsync(this HttpClient client, int count, string pan = TestCards.Approved)
    {
        var tokens = new List<string>();
        foreach (var group in Enumerable.Range(0, count).Chunk(5))
        {
            var added = await Task.WhenAll(group.Select(_ => client.AddCardAsync(pan)));
            tokens.AddRange(added.Select(body => body.As<GatewayTokenResponse>().GatewayToken));
        }

        return tokens;
    }

    public static async Task<string> TurOfAsync(this GatewayFixture fixture, string gatewayToken)
    {
        await using var db = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        await using var select = db.CreateCommand("SELECT token_unique_reference FROM gateway_tokens WHERE gateway_token = $1");
        select.Parameters.Add(new NpgsqlParameter { Value = gatewayToken });
        return (string)(await select.ExecuteScalarAsync())!;
    }

    /// <summary>Puts a (made-up) cryptogram in the vault for a token, as a refill would, and returns the vault.</summary>
    public static async Task<CryptogramVault> PlantCryptogramAsync(this GatewayFixture fixture, string tur)
    {
        var vault = fixture.Factory.Services.GetRequiredService<CryptogramVault>();
        var stored = new StoredCryptogram("5204731600000001", "311231", "01", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        fixture.SecretsSeen.Add(stored.TokenNumber);
        (await vault.AddAsync(tur, await vault.GenerationAsync(tur), stored)).ShouldBeTrue();
        (await vault.CountAsync(tur)).ShouldBe(1);
        return vault;
    }

    /// <summary>The simulator's log of one MDES operation, newest first.</summary>
    public static async Task<List<JsonNode>> MdesRequestsAsync(this GatewayFixture fixture, string operation) =>
        [.. (await fixture.Simulator.GetJsonAsync($"/simulator/requests?operation={operation}&limit=1000"))["requests"]!.AsArray().Select(entry => entry!)];

    /// <summary>MDES calls of an operation that carried any of these TURs.</summary>
    public static async Task<List<JsonNode>> CallsForAsync(this GatewayFixture fixture, string operation, IReadOnlyCollection<string> turs) =>
        [.. (await fixture.MdesRequestsAsync(operation)).Where(entry =>
            entry["tokenUniqueReferences"]?.AsArray().Any(tur => turs.Contains(tur!.GetValue<string>())) == true)];

    public static Dictionary<string, LifecycleOutcomeResponse> ByToken(this JsonElement batchResponse) =>
        batchResponse.As<LifecycleBatchResponse>().Results.ToDictionary(result => result.GatewayToken);

    public static string Result(this JsonElement outcome) => outcome.As<LifecycleOutcomeResponse>().Result;

    public static async Task<GatewayTokenResponse> GetTokenAsync(this HttpClient client, string gatewayToken, bool refresh = false) =>
        await client.GetAsAsync<GatewayTokenResponse>($"/v1/gateway-tokens/{gatewayToken}?refresh={(refresh ? "true" : "false")}");
}
