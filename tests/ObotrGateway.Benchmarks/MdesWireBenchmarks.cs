using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.Encryption;
using ObotrGateway.Api.Mdes.OAuth;
using ObotrGateway.Api.Mdes.Wire;

namespace ObotrGateway.Benchmarks;

/// <summary>
/// CPU cost the wire layer adds per MDES call: encrypt + sign a Tokenize request, decrypt a Transact response.
/// Baseline: serializing the same Tokenize request without encryption or signing.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class MdesWireBenchmarks
{
    private static readonly Uri TokenizeUri = new("https://api.mastercard.com/mdes/digitization/static/1/0/tokenize");

    private TokenizeRequest _tokenize = null!;
    private MdesPayloadCrypto _gateway = null!;
    private OAuthSigner _signer = null!;
    private byte[] _transactResponse = null!;
    private byte[] _transactResponseClear = null!;

    [GlobalSetup]
    public void Setup()
    {
        var mdes = SelfSigned("CN=mdes");
        var ours = SelfSigned("CN=ours");
        using var signingKeySource = RSA.Create(2048);
        var signingKey = RSA.Create();
        signingKey.ImportParameters(signingKeySource.ExportParameters(true));
        var gatewayRing = new MdesKeyRing(signingKey, mdes.Cert, [MdesKeyRing.DecryptionKeyFrom(new MdesPrivateKey(ours.Key, ours.Cert))], MdesOaepDigest.Sha512, MdesFingerprintType.Certificate);
        var mdesRing = new MdesKeyRing(signingKey, ours.Cert, [MdesKeyRing.DecryptionKeyFrom(new MdesPrivateKey(mdes.Key, mdes.Cert))], MdesOaepDigest.Sha512, MdesFingerprintType.Certificate);
        _gateway = new MdesPayloadCrypto(new FieldLevelEncryption(gatewayRing));
        _signer = new OAuthSigner("consumer-key!bench", signingKey, TimeProvider.System, new RandomOAuthNonceSource());
        _tokenize = new TokenizeRequest
        {
            RequestId = "0123456789abcdef0123456789abcdef",
            ResponseHost = "psp.example.net",
            TokenRequestorId = "50123456789",
            TaskId = "t-1001",
            ConsumerLanguage = "en",
            FundingAccountInfo = new FundingAccountInfo
            {
                EncryptedPayload = new FundingAccountPayload(new FundingAccountData
                {
                    CardAccountData = new CardAccountData { AccountNumber = "5555444433331111", ExpiryMonth = "07", ExpiryYear = "29", SecurityCode = "321" },
                    AccountHolderData = new AccountHolderData
                    {
                        AccountHolderName = "Jane Roe",
                        AccountHolderAddress = new BillingAddress { Line1 = "1 Main St", City = "Dublin", Country = "IRL" },
                    },
                    Source = "ACCOUNT_ON_FILE",
                }),
            },
            DecisioningData = new DecisioningData { Recommendation = "APPROVED", RecommendationAlgorithmVersion = "01", DeviceScore = "4", AccountScore = "5" },
        };

        var clear = """
            {"responseId":"s-2001","responseHost":"site1.mastercard.com","encryptedPayload":{"encryptedData":{"accountNumber":"5204731600014821",
             "applicationExpiryDate":"310731","panSequenceNumber":"01","track2Equivalent":"5204731600014821D31072011000000000000F",
             "de48se43Data":"0A1B2C3D4E5F60718293A4B5C6D7E8F9"}}}
            """;
        _transactResponseClear = JsonSerializer.SerializeToUtf8Bytes(JsonNode.Parse(clear));
        var encrypted = JsonNode.Parse(clear)!.AsObject();
        new FieldLevelEncryption(mdesRing).EncryptPath(encrypted, "encryptedPayload.encryptedData", "encryptedPayload");
        _transactResponse = JsonSerializer.SerializeToUtf8Bytes(encrypted);
    }

    [Benchmark(Baseline = true, Description = "Tokenize: JSON only")]
    public byte[] SerializeTokenize() => JsonSerializer.SerializeToUtf8Bytes(_tokenize, MdesJson.Options);

    [Benchmark(Description = "Tokenize: encrypt + sign")]
    public string EncryptAndSignTokenize()
    {
        var body = JsonSerializer.SerializeToNode(_tokenize, MdesJson.Options)!.AsObject();
        _gateway.EncryptRequest(MdesOperation.Tokenize, body);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, MdesJson.Options);
        return _signer.CreateAuthorizationHeader(HttpMethod.Post, TokenizeUri, bytes);
    }

    [Benchmark(Description = "Transact response: JSON only")]
    public object? ParseTransactResponseClear() => JsonSerializer.Deserialize<TransactResponse>(_transactResponseClear, MdesJson.Options);

    [Benchmark(Description = "Transact response: decrypt")]
    public object? DecryptTransactResponse()
    {
        var body = JsonNode.Parse(_transactResponse)!.AsObject();
        _gateway.DecryptResponse(MdesOperation.Transact, body);
        return body.Deserialize<TransactResponse>(MdesJson.Options);
    }

    private static (X509Certificate2 Cert, RSA Key) SelfSigned(string subject)
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return (request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)), key);
    }
}
