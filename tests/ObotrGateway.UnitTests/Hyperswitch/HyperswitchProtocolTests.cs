using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Jose;
using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Hyperswitch;

namespace ObotrGateway.UnitTests.Hyperswitch;

public sealed class HyperswitchProtocolTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);

    private static GatewayToken Token(string status, string? accountPanExpiry = null, DateTimeOffset? archivedAt = null) => new()
    {
        Token = "gt_x",
        TokenRequestorId = "50123456789",
        TaskId = "t",
        Source = CardTokenizer.SourceOnFile,
        Status = status,
        PanSuffix = "0003",
        PanFingerprint = [],
        AccountPanExpiry = accountPanExpiry,
        ArchivedAt = archivedAt,
    };

    [Theory]
    [InlineData(TokenStatuses.Active, "11", "2029", false, "ACTIVE")]
    [InlineData(TokenStatuses.Active, "11", "2026", false, "INACTIVE")]
    [InlineData(TokenStatuses.Active, "11", "2026", true, "EXPIRED")]
    [InlineData(TokenStatuses.Active, "12", "2026", true, "ACTIVE")]
    [InlineData(TokenStatuses.Suspended, "11", "2029", false, "INACTIVE")]
    [InlineData(TokenStatuses.Suspended, "11", "2029", true, "SUSPENDED")]
    [InlineData(TokenStatuses.Deactivated, "11", "2029", false, "INACTIVE")]
    [InlineData(TokenStatuses.Deactivated, "11", "2029", true, "DELETED")]
    [InlineData(TokenStatuses.Inactive, "11", "2029", true, "INACTIVE")]
    public void StatusFor_token_state_maps_to_the_values_the_configured_build_parses(string status, string month, string year, bool extended,
        string expected) =>
        HyperswitchTokenEndpoints.StatusFor(Token(status), month, year, extended, Now).ShouldBe(expected);

    [Theory]
    [InlineData("12", "2031", "0933", "09", "2033")]
    [InlineData("7", "31", "0933", "9", "33")]
    [InlineData("07", "31", null, "07", "31")]
    public void CardExpiry_new_expiry_is_written_the_way_hyperswitch_wrote_the_old_one(string heldMonth, string heldYear, string? mdesExpiry,
        string month, string year)
    {
        var card = new HyperswitchCard { ConsentId = "c", CustomerId = "cus", CardExpiryMonth = heldMonth, CardExpiryYear = heldYear };

        HyperswitchWebhooks.CardExpiry(Token(TokenStatuses.Active, mdesExpiry), card).ShouldBe((month, year));
    }

    [Fact]
    public void Translate_problem_becomes_hyperswitch_error_with_field_errors_in_the_developer_message()
    {
        var problem = """{"type":"https://obotr-gateway.dev/problems/invalid_card","title":"The request is not valid.","status":400,"detail":"Fix the fields.","code":"invalid_card","errors":{"cardData.cardNumber":["Fails the Luhn check."]}}""";

        using var error = JsonDocument.Parse(HyperswitchErrors.Translate(Encoding.UTF8.GetBytes(problem), 400));

        error.RootElement.GetProperty("error_message").GetString().ShouldBe("The request is not valid.");
        error.RootElement.GetProperty("error_info").GetProperty("code").GetString().ShouldBe("invalid_card");
        error.RootElement.GetProperty("error_info").GetProperty("developer_message").GetString()
            .ShouldBe("Fix the fields. cardData.cardNumber: Fails the Luhn check.");
    }

    [Fact]
    public void Translate_empty_answer_speaks_from_its_status()
    {
        using var error = JsonDocument.Parse(HyperswitchErrors.Translate([], 405));

        error.RootElement.GetProperty("error_info").GetProperty("code").GetString().ShouldBe("method_not_allowed");
        error.RootElement.GetProperty("error_message").GetString().ShouldBe("Method Not Allowed");
    }

    [Fact]
    public void Jwe_round_trip_decrypts_and_any_altered_byte_is_refused()
    {
        using var ours = RSA.Create(2048);
        var compact = JWT.Encode("\"{}\"", ours, JweAlgorithm.RSA_OAEP_256, JweEncryption.A128GCM,
            extraHeaders: new Dictionary<string, object> { ["kid"] = "hs_1" });
        var header = HyperswitchJwe.ReadHeader(compact)!;
        header.ShouldBe(new JweHeader("RSA-OAEP-256", "A128GCM", "hs_1", false));
        Encoding.UTF8.GetString(HyperswitchJwe.Decrypt(compact, ours, header)!).ShouldBe("\"{}\"");

        var parts = compact.Split('.');
        for (var part = 1; part < 5; part++)
        {
            var altered = (string[])parts.Clone();
            var chars = altered[part].ToCharArray();
            chars[2] = chars[2] == 'A' ? 'B' : 'A';
            altered[part] = new string(chars);
            HyperswitchJwe.Decrypt(string.Join('.', altered), ours, header).ShouldBeNull();
        }

        using var other = RSA.Create(2048);
        HyperswitchJwe.Decrypt(compact, other, header).ShouldBeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("a.b.c")]
    [InlineData("a.b.c.d.e")]
    [InlineData("!!!.b.c.d.e")]
    public void ReadHeader_text_that_is_no_compact_jwe_is_null(string text) => HyperswitchJwe.ReadHeader(text).ShouldBeNull();

    [Fact]
    public void Encrypt_answer_decrypts_with_hyperswitchs_private_key_as_single_encoded_json()
    {
        using var hyperswitch = RSA.Create(2048);

        var compact = HyperswitchJwe.Encrypt(Encoding.UTF8.GetBytes("""{"token":"x"}"""), hyperswitch);

        JWT.Headers(compact)["alg"].ToString().ShouldBe("RSA-OAEP-256");
        JWT.Decrypt(compact, hyperswitch, JweAlgorithm.RSA_OAEP_256, JweEncryption.A128GCM).ShouldBe("""{"token":"x"}""");
    }

    [Fact]
    public void Import_spki_and_pkcs1_public_keys_are_accepted_and_a_private_key_is_refused()
    {
        using var rsa = RSA.Create(2048);

        using (var spki = HyperswitchPublicKey.Import(rsa.ExportSubjectPublicKeyInfoPem(), out var spkiProblem))
        {
            spki.ShouldNotBeNull(spkiProblem);
        }

        using (var pkcs1 = HyperswitchPublicKey.Import(rsa.ExportRSAPublicKeyPem(), out var pkcs1Problem))
        {
            pkcs1.ShouldNotBeNull(pkcs1Problem);
        }

        HyperswitchPublicKey.Import(rsa.ExportPkcs8PrivateKeyPem(), out var problem).ShouldBeNull();
        problem.ShouldNotBeNull().ShouldContain("never the private key");
        using var small = RSA.Create(1024);
        HyperswitchPublicKey.Import(small.ExportSubjectPublicKeyInfoPem(), out var smallProblem).ShouldBeNull();
        smallProblem.ShouldNotBeNull();
        HyperswitchPublicKey.Import("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", out var garbled).ShouldBeNull();
        garbled.ShouldNotBeNull();
    }
}
