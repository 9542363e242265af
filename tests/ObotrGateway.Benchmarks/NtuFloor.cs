using System.Diagnostics;
using System.Security.Cryptography;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.Encryption;
using ObotrGateway.Api.Notifications;

namespace ObotrGateway.Benchmarks;

/// <summary>
/// The CPU floor of one NTU (issue 16): what the gateway cannot avoid for it — decrypting the body with its own private key
/// (one RSA-2048 OAEP unwrap, the AES payload, the JSON) and inserting the inbox row — and nothing else: no HTTP, no
/// middleware, no logging, no hand-off, no apply. Run in this process as a closed loop of <c>workers</c> callers over
/// pre-encrypted bodies; its rate is the most the machine's cores give one NTU path at that moment.
/// </summary>
internal static class NtuFloor
{
    private const string GatewayDecryptionKey = "tr-encryption.key";

    public sealed record Result(int Count, TimeSpan Elapsed, TimeSpan? Cpu)
    {
        public double Rate => Count / Elapsed.TotalSeconds;
    }

    public static async Task<Result> MeasureAsync(string keysDirectory, NtuInbox inbox, List<NtuMessage> messages, int workers, TimeSpan duration)
    {
        // The gateway's own decryption path with the gateway's own key (what MdesKeyRing.Load builds from Mdes:DecryptionKeys).
        var privateKey = MdesKeyLoader.LoadPrivateKeyFile(Path.Combine(keysDirectory, GatewayDecryptionKey), null);
        var certificate = privateKey.Certificate ?? throw new InvalidOperationException("the gateway's key has no certificate next to it");
        var ring = new MdesKeyRing(RSA.Create(), certificate, [MdesKeyRing.DecryptionKeyFrom(privateKey)], MdesOaepDigest.Sha512, MdesFingerprintType.Certificate);
        var crypto = new MdesPayloadCrypto(new FieldLevelEncryption(ring));

        var next = -1;
        var cpuBefore = ProcessStats.Cpu(Environment.ProcessId);
        var clock = Stopwatch.StartNew();
        var done = await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            var count = 0;
            int i;
            while (clock.Elapsed < duration && (i = Interlocked.Increment(ref next)) < messages.Count)
            {
                // The gateway's own reading (decrypt, then its record of each update), as the callback does.
                var notification = crypto.ReadNotification(messages[i].Body);
                await inbox.InsertAsync(notification.RequestId!, [.. notification.Tokens.OfType<NotifiedTokenUpdate>()], CancellationToken.None);
                count++;
            }

            return count;
        })));
        var elapsed = clock.Elapsed;
        return new Result(done.Sum(), elapsed, ProcessStats.Cpu(Environment.ProcessId) - cpuBefore);
    }
}
