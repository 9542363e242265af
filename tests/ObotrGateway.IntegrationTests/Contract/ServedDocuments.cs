using System.Text.Json.Nodes;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Contract;

/// <summary>
/// The OpenAPI documents exactly as the real apps serve them at /openapi/v1.json. Every read also writes the text to
/// artifacts/openapi/ (gitignored), where deploy/local/openapi.sh lints it and generates the client from it: the
/// documents CI checks are the served ones, never a copy kept by hand (docs/api-contract.md).
/// </summary>
internal static class ServedDocuments
{
    public const string Path = "/openapi/v1.json";

    public static async Task<JsonObject> GatewayAsync(GatewayFixture fixture) =>
        await ReadAsync(fixture.Factory.CreateClient(), "gateway");

    public static async Task<JsonObject> SimulatorAsync(GatewayFixture fixture) =>
        await ReadAsync(new HttpClient { BaseAddress = fixture.Simulator.BaseAddress }, "simulator");

    private static async Task<JsonObject> ReadAsync(HttpClient client, string name)
    {
        using (client)
        {
            var text = await client.GetStringAsync(Path);
            var directory = System.IO.Path.Combine(RepositoryRoot(), "artifacts", "openapi");
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(System.IO.Path.Combine(directory, name + ".json"), text);
            return JsonNode.Parse(text)!.AsObject();
        }
    }

    /// <summary>The folder holding ObotrGateway.sln, above the test assembly's output folder.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "ObotrGateway.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("ObotrGateway.sln not found above " + AppContext.BaseDirectory);
    }
}
