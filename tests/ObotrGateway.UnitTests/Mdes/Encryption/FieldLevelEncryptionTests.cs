using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.Encryption;

namespace ObotrGateway.UnitTests.Mdes.Encryption;

public class FieldLevelEncryptionTests
{
    private const string Pan = "5555444433331111";

    private static JsonObject TokenizeBody() => JsonNode.Parse("""
        {"requestId":"r-1001","tokenType":"CLOUD","tokenRequestorId":"50123456789","taskId":"t-1001",
         "fundingAccountInfo":{"encryptedPayload":{"encryptedData":{
           "cardAccountData":{"accountNumber":"PAN","expiryMonth":"07","expiryYear":"29","securityCode":"321"},
           "accountHolderData":{"accountHolderName":"Jane Roe"},"source":"ACCOUNT_ON_FILE"}}}}
        """.Replace("PAN", Pan, StringComparison.Ordinal))!.AsObject();

    [Theory]
    [InlineData("Sha256", "SHA256")]
    [InlineData("Sha512", "SHA512")]
    public void EncryptRequest_tokenize_writesLegacyFieldsInLowercaseHex(string digestText, string digestName)
    {
        var digest = Enum.Parse<MdesOaepDigest>(digestText);
        var body = TokenizeBody();

        new MdesPayloadCrypto(new FieldLevelEncryption(MdesTestKeys.GatewayRing(digest))).EncryptRequest(MdesOperation.Tokenize, body);

        var payload = body["fundingAccountInfo"]!["encryptedPayload"]!.AsObject();
        payload.Select(p => p.Key).ShouldBe(["encryptedData", "iv", "encryptedKey", "publicKeyFingerprint", "oaepHashingAlgorithm"]);
        payload["iv"]!.GetValue<string>().ShouldMatch("^[0-9a-f]{32}$");
        payload["encryptedKey"]!.GetValue<string>().ShouldMatch("^[0-9a-f]{512}$");
        payload["encryptedData"]!.GetValue<string>().ShouldMatch("^([0-9a-f]{32})+$");
        payload["oaepHashingAlgorithm"]!.GetValue<string>().ShouldBe(digestName);
        payload["publicKeyFingerprint"]!.GetValue<string>()
            .ShouldBe(Convert.ToHexStringLower(SHA256.HashData(MdesTestKeys.MdesCertificate.RawData)));
        body.ToJsonString().ShouldNotContain(Pan);
    }

    [Fact]
    public void EncryptRequest_publicKeyFingerprintType_sendsSpkiSha256()
    {
        var body = TokenizeBody();

        new MdesPayloadCrypto(new FieldLevelEncryption(MdesTestKeys.GatewayRing(type: MdesFingerprintType.PublicKey)))
            .EncryptRequest(MdesOperation.SearchTokens, body);

        body["fundingAccountInfo"]!["encryptedPayload"]!["publicKeyFingerprint"]!.GetValue<string>()
            .ShouldBe(Convert.ToHexStringLower(SHA256.HashData(MdesTestKeys.MdesCertificate.PublicKey.ExportSubjectPublicKeyInfo())));
    }

    [Theory]
    [InlineData("Tokenize", "Sha256")]
    [InlineData("Tokenize", "Sha512")]
    [InlineData("SearchTokens", "Sha256")]
    [InlineData("SearchTokens", "Sha512")]
    public void EncryptRequest_decryptedByMdesKey_roundTripsFundingAccountData(string operationText, string digestText)
    {
        var operation = Enum.Parse<MdesOperation>(operationText);
        var digest = Enum.Parse<MdesOaepDigest>(digestText);
        var body = TokenizeBody();
        var original = body["fundingAccountInfo"]!["encryptedPayload"]!["encryptedData"]!.ToJsonString();

        new MdesPayloadCrypto(new FieldLevelEncryption(MdesTestKeys.GatewayRing(digest))).EncryptRequest(operation, body);
        new FieldLevelEncryption(MdesTestKeys.MdesRing(digest))
            .DecryptPath(body, "fundingAccountInfo.encryptedPayload", "fundingAccountInfo.encryptedPayload.encryptedData");

        body["fundingAccountInfo"]!["encryptedPayload"]!.AsObject().Select(p => p.Key).ShouldBe(["encryptedData"]);
        body["fundingAccountInfo"]!["encryptedPayload"]!["encryptedData"]!.ToJsonString().ShouldBe(original);
    }

    [Theory]
    [InlineData("Tokenize", "Sha256")]
    [InlineData("Tokenize", "Sha512")]
    [InlineData("GetToken", "Sha256")]
    [InlineData("GetToken", "Sha512")]
    public void DecryptResponse_tokenDetail_placesClearDataUnderEncryptedData(string operationText, string digestText)
    {
        var operation = Enum.Parse<MdesOperation>(operationText);
        var digest = Enum.Parse<MdesOaepDigest>(digestText);
        var body = JsonNode.Parse("""
            {"responseId":"s-1","tokenDetail":{"tokenUniqueReference":"DWSPMC000000000001","encryptedData":
              {"tokenNumber":"5204731600014821","expiryMonth":"07","expiryYear":"31","paymentAccountReference":"5001EXAMPLEPAR000000000000001"}}}
            """)!.AsObject();
        new FieldLevelEncryption(MdesTestKeys.MdesRing(digest)).EncryptPath(body, "tokenDetail.encryptedData", "tokenDetail");
        body["tokenDetail"]!["encryptedData"]!.GetValue<string>().ShouldNotContain("5204731600014821");

        new MdesPayloadCrypto(new FieldLevelEncryption(MdesTestKeys.GatewayRing())).DecryptResponse(operation, body);

        body["tokenDetail"]!.AsObject().Select(p => p.Key).ShouldBe(["tokenUniqueReference", "encryptedData"]);
        body["tokenDetail"]!["encryptedData"]!["tokenNumber"]!.GetValue<string>().ShouldBe("5204731600014821");
        body["tokenDetail"]!["encryptedData"]!["paymentAccountReference"]!.GetValue<string>().ShouldBe("5001EXAMPLEPAR000000000000001");
    }

    [Theory]
    [InlineData("Sha256")]
    [InlineData("Sha512")]
    public void DecryptResponse_transact_decryptsEncryptedPayload(string digestText)
    {
        var digest = Enum.Parse<MdesOaepDigest>(digestText);
        var body = EncryptedByMdes("""{"responseId":"s-2001","encryptedPayload":{"encryptedData":{"accountNumber":"5204731600014821","de48se43Data":"0A1B2C3D4E5F60718293A4B5C6D7E8F9"}}}""", digest);

        new MdesPayloadCrypto(new FieldLevelEncryption(MdesTestKeys.GatewayRing())).DecryptResponse(MdesOperation.Transact, body);

        body["encryptedPayload"]!.AsObject().Select(p => p.Key).ShouldBe(["encryptedData"]);
        body["encryptedPayload"]!["encryptedData"]!["de48se43Data"]!.GetValue<string>().ShouldBe("0A1B2C3D4E5F60718293A4B5C6D7E8F9");
    }

    [Theory]
    [InlineData("Sha256")]
    [InlineData("Sha512")]
    public void ReadNotifyTokenUpdated_encryptedTokens_returnsTypedTokens(string digestText)
    {
        var digest = Enum.Parse<MdesOaepDigest>(digestText);
        var body = EncryptedByMdes("""
            {"responseHost":"site2.mastercard.com","requestId":"n-9001","encryptedPayload":{"encryptedData":{"tokens":[{"tokenUniqueReference":"DWSPMC00000000c3fe87928e21a15d418ff3558dea22fa42",
             "tokenRequestorId":"50123456789","status":"SUSPENDED","suspendedBy":["ISSUER"],"eventReasonCode":"SUSPECTED_FRAUD",
             "statusTimestamp":"2025-03-02T08:00:00+01:00","tokenInfo":{"tokenPanSuffix":"4821","accountPanPrefix":"520473","dsrpCapable":"true"}}]}}}
            """, digest);

        var notification = Crypto().ReadNotifyTokenUpdated(Encoding.UTF8.GetBytes(body.ToJsonString()));

        notification.RequestId.ShouldBe("n-9001");
        var token = notification.EncryptedPayload!.EncryptedData!.Tokens.ShouldHaveSingleItem();
        token.Status.ShouldBe("SUSPENDED");
        token.TokenRequestorId.ShouldBe("50123456789");
        token.SuspendedBy.ShouldBe(["ISSUER"]);
        token.TokenInfo!.DsrpCapable.ShouldBe(true);
        token.StatusTimestamp.ShouldBe(new DateTimeOffset(2025, 3, 2, 8, 0, 0, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void DecryptNotifyTokenUpdated_upperCaseHex_isAccepted()
    {
        var body = EncryptedByMdes("""{"requestId":"n-1","encryptedPayload":{"encryptedData":{"tokens":[]}}}""");
        var payload = body["encryptedPayload"]!.AsObject();
        foreach (var field in new[] { "encryptedData", "iv", "encryptedKey", "publicKeyFingerprint" })
        {
            payload[field] = payload[field]!.GetValue<string>().ToUpperInvariant();
        }

        var clear = Crypto().DecryptNotifyTokenUpdated(Encoding.UTF8.GetBytes(body.ToJsonString()));

        clear["encryptedPayload"]!["encryptedData"]!["tokens"]!.AsArray().Count.ShouldBe(0);
    }

    [Theory]
    [InlineData(16, "SHA256")]
    [InlineData(24, "SHA512")]
    [InlineData(32, "SHA512")]
    [InlineData(32, "SHA-256")]
    public void DecryptNotifyTokenUpdated_independentlyBuiltPayload_acceptsAes128To256(int keyBytes, string digestName)
    {
        // Built with raw primitives, not FieldLevelEncryption, so the test checks the recipe rather than symmetry.
        var padding = digestName.Contains("256", StringComparison.Ordinal) ? RSAEncryptionPadding.OaepSHA256 : RSAEncryptionPadding.OaepSHA512;
        var body = HandBuiltNotification(
            """{"tokens":[{"tokenUniqueReference":"DWSPMC1","status":"ACTIVE"}]}"""u8.ToArray(),
            keyBytes,
            RandomNumberGenerator.GetBytes(16),
            padding,
            digestName,
            upperCaseHex: true);

        var notification = Crypto().ReadNotifyTokenUpdated(Encoding.UTF8.GetBytes(body.ToJsonString()));

        notification.EncryptedPayload!.EncryptedData!.Tokens.ShouldHaveSingleItem().Status.ShouldBe("ACTIVE");
    }

    [Fact]
    public void Decrypt_keyRotation_findsEitherConfiguredKeyByFingerprint()
    {
        var ring = new MdesKeyRing(
            MdesTestKeys.SigningKey,
            MdesTestKeys.MdesCertificate,
            [
                MdesKeyRing.DecryptionKeyFrom(new MdesPrivateKey(MdesTestKeys.OurPrivateKey, MdesTestKeys.OurCertificate)),
                MdesKeyRing.DecryptionKeyFrom(new MdesPrivateKey(MdesTestKeys.OurSecondPrivateKey, MdesTestKeys.OurSecondCertificate)),
            ],
            MdesOaepDigest.Sha512,
            MdesFingerprintType.Certificate);
        var crypto = new MdesPayloadCrypto(new FieldLevelEncryption(ring));

        foreach (var certificate in new[] { MdesTestKeys.OurCertificate, MdesTestKeys.OurSecondCertificate })
        {
            var body = EncryptedByMdes("""{"encryptedPayload":{"encryptedData":{"tokens":[]}}}""", encryptTo: certificate);
            crypto.DecryptNotifyTokenUpdated(Encoding.UTF8.GetBytes(body.ToJsonString()))["encryptedPayload"]!["encryptedData"].ShouldNotBeNull();
        }
    }

    [Theory]
    [InlineData("spki")]
    [InlineData("sha1")]
    public void Decrypt_alternativeFingerprintForms_areRecognised(string form)
    {
        var body = EncryptedByMdes("""{"encryptedPayload":{"encryptedData":{"tokens":[]}}}""");
        body["encryptedPayload"]!["publicKeyFingerprint"] = form == "spki"
            ? Convert.ToHexStringLower(SHA256.HashData(MdesTestKeys.OurCertificate.PublicKey.ExportSubjectPublicKeyInfo()))
            : MdesFingerprints.OfCertificateSha1(MdesTestKeys.OurCertificate);

        Should.NotThrow(() => Crypto().DecryptNotifyTokenUpdated(Encoding.UTF8.GetBytes(body.ToJsonString())));
    }

    [Fact]
    public void Decrypt_tamperedCiphertext_throwsTypedErrorWithoutSecrets()
    {
        var body = EncryptedByMdes("""{"encryptedPayload":{"encryptedData":{"accountNumber":"5204731600014821"}}}""");
        var data = body["encryptedPayload"]!["encryptedData"]!.GetValue<string>();
        var tampered = data[..^2] + (data[^2..] == "00" ? "01" : "00");
        body["encryptedPayload"]!["encryptedData"] = tampered;

        var ex = Should.Throw<MdesCryptographyException>(() => Crypto().DecryptNotifyTokenUpdated(Encoding.UTF8.GetBytes(body.ToJsonString())));

        ex.Failure.ShouldBeOneOf(MdesCryptographyFailure.DecryptionFailed, MdesCryptographyFailure.InvalidPlaintext);
        AssertNoSecrets(ex, body);
    }

    [Fact]
    public void Decrypt_tamperedMiddleBlock_neverReturnsGarbage()
    {
        var body = EncryptedByMdes("""{"encryptedPayload":{"encryptedData":{"accountNumber":"5204731600014821","track2Equivalent":"5204731600014821D31072011000000000000F"}}}""");
        var data = body["encryptedPayload"]!["encryptedData"]!.GetValue<string>().ToCharArray();
        data[2] = data[2] == 'a' ? 'b' : 'a';
        body["encryptedPayload"]!["encryptedData"] = new string(data);

        var ex = Should.Throw<MdesCryptographyException>(() => Crypto().DecryptNotifyTokenUpdated(Encoding.UTF8.GetBytes(body.ToJsonString())));

        ex.Failure.ShouldBeOneOf(MdesCryptographyFailure.DecryptionFailed, MdesCryptographyFailure.InvalidPlaintext);
        AssertNoSecrets(ex, body);
    }

    [Fact]
    public void Decrypt_wrongPrivateKeyForFingerprint_throwsKeyUnwrapFailed()
    {
        var body = EncryptedByMdes("""{"encryptedPayload":{"encryptedData":{"tokens":[]}}}""");
        // Our fingerprint, but the ring holds a different private key under it (e.g. a mis-paired key file).
        var ring = new MdesKeyRing(
            MdesTestKeys.SigningKey,
            MdesTestKeys.MdesCertificate,
            [new MdesDecryptionKey(MdesTestKeys.OurSecondPrivateKey, [Convert.ToHexStringLower(SHA256.HashData(MdesTestKeys.OurCertificate.RawData))])],
            MdesOaepDigest.Sha512,
            MdesFingerprintType.Certificate);

        var ex = Should.Throw<MdesCryptographyException>(() =>
            new MdesPayloadCrypto(new FieldLevelEncryption(ring)).DecryptNotifyTokenUpdated(Encoding.UTF8.GetBytes(body.ToJsonString())));

        ex.Failure.ShouldBe(MdesCryptographyFailure.KeyUnwrapFailed);
        AssertNoSecrets(ex, body);
    }

    [Fact]
    public void Decrypt_wrongDigest_throwsKeyUnwrapFailed()
    {
        var body = EncryptedByMdes("""{"encryptedPayload":{"encryptedData":{"tokens":[]}}}""", MdesOaepDigest.Sha256);
        body["encryptedPayload"]!["oaepHashingAlgorithm"] = "SHA512";

        Should.Throw<MdesCryptographyException>(() => Crypto().DecryptNotifyTokenUpdated(Encoding.UTF8.GetBytes(body.ToJsonString())))
            .Failure.ShouldBe(MdesCryptographyFailure.KeyUnwrapFailed);
    }

    [Fact]
    public void Decrypt_unknownFingerprint_throwsUnknownFingerprint()
    {
        var body = EncryptedByMdes("""{"encryptedPayload":{"encryptedData":{"tokens":[]}}}""", encryptTo: MdesTestKeys.OurSecondCertificate);

        var ex = Should.Throw<MdesCryptographyException>(() => Crypto().DecryptNotifyTokenUpdated(Encoding.UTF8.GetBytes(body.ToJsonString())));

        ex.Failure.ShouldBe(MdesCryptographyFailure.UnknownFingerprint);
        ex.Path.ShouldBe("encryptedPayload");
    }

    [Theory]
    [InlineData("encryptedKey")]
    [InlineData("publicKeyFingerprint")]
    public void Decrypt_missingField_throwsMissingField(string field)
    {
        var body = EncryptedByMdes("""{"encryptedPayload":{"encryptedData":{"tokens":[]}}}""");
        body["encryptedPayload"]!.AsObject().Remove(field);

        var ex = Should.Throw<MdesCryptographyException>(() => Crypto().DecryptNotifyTokenUpdated(Encoding.UTF8.GetBytes(body.ToJsonString())));

        ex.Failure.ShouldBe(MdesCryptographyFailure.MissingField);
        ex.Path.ShouldBe($"encryptedPayload.{field}");
    }

    [Fact]
    public void Decrypt_nonHexField_throwsInvalidEncoding()
    {
        var body = EncryptedByMdes("""{"encryptedPayload":{"encryptedData":{"tokens":[]}}}""");
        body["encryptedPayload"]!["iv"] = "zz";

        Should.Throw<MdesCryptographyException>(() => Crypto().DecryptNotifyTokenUpdated(Encoding.UTF8.GetBytes(body.ToJsonString())))
            .Failure.ShouldBe(MdesCryptographyFailure.InvalidEncoding);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"requestId":"n-1"}""")]
    public void DecryptNotifyTokenUpdated_bodyWithoutPayload_throwsTypedError(string json)
    {
        Should.Throw<MdesCryptographyException>(() => Crypto().DecryptNotifyTokenUpdated(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData("""{"requestId":"n-1","encryptedPayload":{"encryptedData":{"tokens":[{"tokenUniqueReference":"DWSPMC1","status":"SUSPENDED"}]}}}""")]
    [InlineData("""{"requestId":"n-1","encryptedPayload":{"tokens":[]}}""")]
    [InlineData("""{"requestId":"n-1","encryptedPayload":{"encryptedData":null}}""")]
    [InlineData("""{"requestId":"n-1","encryptedPayload":"00ff"}""")]
    public void DecryptNotifyTokenUpdated_clearPayload_isNotEncryptedAndNeverTakenAsDecrypted(string json)
    {
        Should.Throw<MdesCryptographyException>(() => Crypto().DecryptNotifyTokenUpdated(Encoding.UTF8.GetBytes(json)))
            .Failure.ShouldBe(MdesCryptographyFailure.NotEncrypted);
    }

    [Theory]
    [InlineData("encryptedKey", "42")]
    [InlineData("publicKeyFingerprint", "{}")]
    [InlineData("encryptedData", "[\"00\"]")]
    public void DecryptNotifyTokenUpdated_keyMaterialNotAString_isMissingField(string field, string json)
    {
        var body = EncryptedByMdes("""{"encryptedPayload":{"encryptedData":{"tokens":[]}}}""");
        body["encryptedPayload"]![field] = JsonNode.Parse(json);

        Should.Throw<MdesCryptographyException>(() => Crypto().DecryptNotifyTokenUpdated(Encoding.UTF8.GetBytes(body.ToJsonString())))
            .Failure.ShouldBe(MdesCryptographyFailure.MissingField);
    }

    [Theory]
    [InlineData("""{"tokens":[],"tokens":[]}""")]
    [InlineData("""{"tokens":[{"status":"\ud800"}]}""")]
    [InlineData("""{"tokens":[{"status":"A\u0000"}]}""")]
    public void DecryptNotifyTokenUpdated_hostilePlaintext_isInvalidPlaintext(string plaintext)
    {
        var body = HandBuiltNotification(Encoding.UTF8.GetBytes(plaintext), 16, RandomNumberGenerator.GetBytes(16), RSAEncryptionPadding.OaepSHA512, "SHA512");

        Should.Throw<MdesCryptographyException>(() => Crypto().DecryptNotifyTokenUpdated(Encoding.UTF8.GetBytes(body.ToJsonString())))
            .Failure.ShouldBe(MdesCryptographyFailure.InvalidPlaintext);
    }

    [Theory]
    [InlineData("""{"tokens":[{"tokenUniqueReference":42}]}""")]
    [InlineData("""{"tokens":[{"statusTimestamp":"yesterday"}]}""")]
    [InlineData("""{"tokens":{"a":1}}""")]
    public void ReadNotifyTokenUpdated_wrongTypesInThePayload_isInvalidPayloadShape(string plaintext)
    {
        var body = HandBuiltNotification(Encoding.UTF8.GetBytes(plaintext), 16, RandomNumberGenerator.GetBytes(16), RSAEncryptionPadding.OaepSHA512, "SHA512");
        body["requestId"] = "n-1";

        Should.Throw<MdesCryptographyException>(() => Crypto().ReadNotifyTokenUpdated(Encoding.UTF8.GetBytes(body.ToJsonString())))
            .Failure.ShouldBe(MdesCryptographyFailure.InvalidPayloadShape);
    }

    [Fact]
    public void DecryptNotifyTokenUpdated_duplicateMemberInTheBody_isInvalidPayloadShape()
    {
        var json = """{"requestId":"n-1","requestId":"n-2","encryptedPayload":{"encryptedData":"00"}}""";

        Should.Throw<MdesCryptographyException>(() => Crypto().DecryptNotifyTokenUpdated(Encoding.UTF8.GetBytes(json)))
            .Failure.ShouldBe(MdesCryptographyFailure.InvalidPayloadShape);
    }

    [Fact]
    public void DecryptResponse_declinedTokenizeWithoutTokenDetail_isLeftAlone()
    {
        var body = JsonNode.Parse("""{"responseId":"s-1","decision":"DECLINED"}""")!.AsObject();

        Crypto().DecryptResponse(MdesOperation.Tokenize, body);

        body.ToJsonString().ShouldBe("""{"responseId":"s-1","decision":"DECLINED"}""");
    }

    [Fact]
    public void Decrypt_missingIv_usesZeroIvAsTheSpecSays()
    {
        var body = HandBuiltNotification("""{"tokens":[]}"""u8.ToArray(), 16, iv: null, RSAEncryptionPadding.OaepSHA512, digestName: null);

        Should.NotThrow(() => Crypto().DecryptNotifyTokenUpdated(Encoding.UTF8.GetBytes(body.ToJsonString())));
    }

    [Fact]
    public void Decrypt_missingDigestWithPkcs1Wrap_isAcceptedAsTheSpecDescribes()
    {
        var body = HandBuiltNotification("""{"tokens":[]}"""u8.ToArray(), 16, RandomNumberGenerator.GetBytes(16), RSAEncryptionPadding.Pkcs1, digestName: null);

        Should.NotThrow(() => Crypto().DecryptNotifyTokenUpdated(Encoding.UTF8.GetBytes(body.ToJsonString())));
    }

    /// <summary>An NTU body encrypted to our certificate with raw primitives; null iv/digest leave the field out.</summary>
    private static JsonObject HandBuiltNotification(
        byte[] clearJson, int keyBytes, byte[]? iv, RSAEncryptionPadding padding, string? digestName, bool upperCaseHex = false)
    {
        var key = RandomNumberGenerator.GetBytes(keyBytes);
        using var aes = Aes.Create();
        aes.Key = key;
        string Hex(byte[] bytes) => upperCaseHex ? Convert.ToHexString(bytes) : Convert.ToHexStringLower(bytes);
        var payload = new JsonObject
        {
            ["publicKeyFingerprint"] = Convert.ToHexStringLower(SHA256.HashData(MdesTestKeys.OurCertificate.RawData)),
            ["encryptedKey"] = Hex(MdesTestKeys.OurCertificate.GetRSAPublicKey()!.Encrypt(key, padding)),
            ["encryptedData"] = Hex(aes.EncryptCbc(clearJson, iv ?? new byte[16], PaddingMode.PKCS7)),
        };
        if (iv is not null)
        {
            payload["iv"] = Hex(iv);
        }

        if (digestName is not null)
        {
            payload["oaepHashingAlgorithm"] = digestName;
        }

        return new JsonObject { ["requestId"] = "n-hand", ["encryptedPayload"] = payload };
    }

    private static MdesPayloadCrypto Crypto() => new(new FieldLevelEncryption(MdesTestKeys.GatewayRing()));

    /// <summary>What MDES would send: the clear JSON with its encrypted path encrypted to our certificate.</summary>
    private static JsonObject EncryptedByMdes(string clearJson, MdesOaepDigest digest = MdesOaepDigest.Sha512, X509Certificate2? encryptTo = null)
    {
        var body = JsonNode.Parse(clearJson)!.AsObject();
        new FieldLevelEncryption(MdesTestKeys.MdesRing(digest, encryptTo)).EncryptPath(body, "encryptedPayload.encryptedData", "encryptedPayload");
        return body;
    }

    private static void AssertNoSecrets(Exception ex, JsonObject body)
    {
        var payload = body["encryptedPayload"]!.AsObject();
        foreach (var field in new[] { "encryptedData", "encryptedKey", "iv" })
        {
            if (payload[field] is JsonValue value && value.GetValue<string>().Length >= 8)
            {
                ex.Message.ShouldNotContain(value.GetValue<string>()[..8], Case.Insensitive);
            }
        }

        ex.Message.ShouldNotContain("5204731600014821");
        ex.ToString().ShouldNotContain("5204731600014821");
    }
}
