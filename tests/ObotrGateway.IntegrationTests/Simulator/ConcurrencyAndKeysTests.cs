using System.Net;
using ObotrGateway.IntegrationTests.Simulator.Support;
using ObotrGateway.MdesSimulator.Security;

namespace ObotrGateway.IntegrationTests.Simulator;

[Collection(SimulatorCollectionDefinition.Name)]
public sealed class ConcurrencyAndKeysTests(SimulatorFixture fixture)
{
    private readonly SimulatorHost _sim = fixture.Host;

    [Fact]
    public async Task ParallelTokenizeAndLifecycle_onOneCard_staysConsistent()
    {
        const string Pan = "5204730000100201";
        var tokenized = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => _sim.Mdes.TokenizeAsync(Pan)));
        tokenized.ShouldAllBe(r => r.Status == HttpStatusCode.OK);
        var turs = tokenized.Select(r => (string)r.Body["tokenUniqueReference"]!).ToList();
        turs.Distinct().Count().ShouldBe(24);

        await Task.WhenAll(turs.Select(t => _sim.Mdes.LifecycleAsync(Paths.Delete, "OTHER", t)));

        var search = await _sim.ConsoleAsync("/issuer/tokens/search", new { pan = Pan });
        var tokens = search.Body!["tokens"]!.AsArray();
        tokens.Count.ShouldBe(24);
        tokens.ShouldAllBe(t => (string?)t!["status"] == "DEACTIVATED");
    }

    [Fact]
    public void DevKeySet_generatedTwice_keepsFilesAndPairsMatch()
    {
        var directory = Path.Combine(Path.GetTempPath(), "obotr-keys-" + Guid.NewGuid().ToString("N"));
        try
        {
            DevKeySet.Generate(directory, TimeProvider.System);
            var first = Directory.GetFiles(directory).OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllText).ToList();
            DevKeySet.Generate(directory, TimeProvider.System);
            var second = Directory.GetFiles(directory).OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllText).ToList();

            second.ShouldBe(first);
            Directory.GetFiles(directory).Select(Path.GetFileName).ShouldBe(
                ["consumer-key.txt", "mdes-decryption.key", "mdes-encryption.crt", "tr-encryption.crt", "tr-encryption.key", "tr-signing.crt", "tr-signing.key"],
                ignoreOrder: true);
            File.ReadAllText(Path.Combine(directory, "mdes-decryption.key")).ShouldStartWith("-----BEGIN PRIVATE KEY-----");
            foreach (var (key, cert) in new[] { ("mdes-decryption.key", "mdes-encryption.crt"), ("tr-signing.key", "tr-signing.crt"), ("tr-encryption.key", "tr-encryption.crt") })
            {
                using var rsa = PemFiles.LoadPrivateKey(Path.Combine(directory, key));
                using var certificate = PemFiles.LoadCertificate(Path.Combine(directory, cert));
                PemFiles.SameKey(rsa, certificate).ShouldBeTrue(key);
                rsa.KeySize.ShouldBe(2048);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
