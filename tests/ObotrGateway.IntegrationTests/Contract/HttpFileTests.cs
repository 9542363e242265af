using System.Text.Json.Nodes;
using ObotrGateway.IntegrationTests.Infrastructure;

namespace ObotrGateway.IntegrationTests.Contract;

/// <summary>
/// The requests in http/*.http (one file per feature, for the local stack) are ones the served documents describe: each
/// targets an operation, names only its query parameters, presents the credential its security scheme asks for, and
/// sends a JSON body its schema accepts. Variables that stand for earlier answers become a value of the right shape.
/// </summary>
[Collection(GatewayTestGroup.Name)]
public sealed class HttpFileTests(GatewayFixture fixture)
{
    private const string SampleToken = "gt_54fa402cef59d90052661daf68a3fa44";

    public static TheoryData<string> Files() =>
        [.. Directory.GetFiles(Path.Combine(ServedDocuments.RepositoryRoot(), "http"), "*.http").Select(path => Path.GetFileName(path)).Order()];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Every_request_in_the_file_fits_the_served_documents(string file)
    {
        var documents = new Dictionary<string, JsonObject>(StringComparer.Ordinal)
        {
            ["{{gateway}}"] = await ServedDocuments.GatewayAsync(fixture),
            ["{{simulator}}"] = await ServedDocuments.SimulatorAsync(fixture),
        };
        var requests = Parse(File.ReadAllText(Path.Combine(ServedDocuments.RepositoryRoot(), "http", file)));
        requests.ShouldNotBeEmpty(file);

        foreach (var request in requests)
        {
            var where = $"{file}: {request.Method} {request.Url}";
            var (root, document) = documents.Single(entry => request.Url.StartsWith(entry.Key, StringComparison.Ordinal));
            var target = request.Url[root.Length..];
            var path = target.Split('?')[0];
            var operation = DocumentOperation.Find(document, request.Method.ToLowerInvariant(), path);
            operation.ShouldNotBeNull($"{where}: no such operation in the served document");

            var parameters = operation.Operation["parameters"]?.AsArray().Select(parameter => (string?)parameter!["name"]).ToHashSet() ?? [];
            foreach (var name in target.Contains('?') ? target[(target.IndexOf('?') + 1)..].Split('&').Select(pair => pair.Split('=')[0]) : [])
            {
                parameters.ShouldContain(name, $"{where}: unknown query parameter");
            }

            var schemes = operation.Operation["security"]?.AsArray().SelectMany(requirement => requirement!.AsObject().Select(entry => entry.Key)).ToList() ?? [];
            var credential = schemes switch
            {
                ["AdminApiKey"] => "Bearer {{adminKey}}",
                ["MerchantApiKey"] => "Bearer {{merchantKey}}",
                _ => null,
            };
            request.Headers.GetValueOrDefault("Authorization").ShouldBe(credential, where);

            var body = operation.Operation["requestBody"];
            if (request.Body.Length == 0)
            {
                ((bool?)body?["required"] ?? false).ShouldBeFalse($"{where}: the operation needs a body");
                continue;
            }

            var mediaType = request.Headers.GetValueOrDefault("Content-Type") ?? "";
            var media = body?["content"]?[mediaType];
            media.ShouldNotBeNull($"{where}: the operation takes no {mediaType} body");
            if (mediaType == "application/json")
            {
                var json = JsonNode.Parse(System.Text.RegularExpressions.Regex.Replace(request.Body, @"\{\{[^}]+\}\}", SampleToken));
                new DocumentSchemas(document).Validate(media["schema"]!, json).ShouldBeEmpty(where);
            }
        }
    }

    private sealed record HttpRequest(string Method, string Url, Dictionary<string, string> Headers, string Body);

    /// <summary>The .http format: requests separated by ###; # comments and @variable lines; request line, headers, blank line, body.</summary>
    private static List<HttpRequest> Parse(string text)
    {
        var requests = new List<HttpRequest>();
        foreach (var block in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("###"))
        {
            var lines = block.Split('\n').Skip(1).Where(line => !line.StartsWith('#') && !line.StartsWith('@')).SkipWhile(string.IsNullOrWhiteSpace).ToList();
            if (lines.Count == 0)
            {
                continue;
            }

            var requestLine = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var headers = lines.Skip(1).TakeWhile(line => line.Length > 0)
                .ToDictionary(line => line[..line.IndexOf(':')], line => line[(line.IndexOf(':') + 1)..].Trim(), StringComparer.OrdinalIgnoreCase);
            var body = string.Join('\n', lines.Skip(1).SkipWhile(line => line.Length > 0)).Trim();
            requests.Add(new HttpRequest(requestLine[0], requestLine[1], headers, body));
        }

        return requests;
    }
}
