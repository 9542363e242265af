using System.Text.Json;
using ObotrGateway.Api.GatewayTokens;
using ObotrGateway.Api.Mdes;
using ObotrGateway.Api.Mdes.Wire;
using ObotrGateway.Api.TokenStates;
using ObotrGateway.Api.Webhooks;

namespace ObotrGateway.UnitTests.Notifications;

public sealed class TokenUpdateRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private static GatewayToken Token(string status = TokenStatuses.Active, DateTimeOffset? timestamp = null) => new()
    {
        Token = "gt_test",
        TokenRequestorId = "50123456789",
        TaskId = "task",
        Source = CardTokenizer.SourceOnFile,
        Status = status,
        StatusTimestamp = timestamp ?? T0,
        PanSuffix = "0003",
        PanFingerprint = [0],
        TokenUniqueReference = "DWSPMC0001",
    };

    /// <summary>An NTU for the token's own TRID, received at <paramref name="now"/> (the clamp margin does not apply here).</summary>
    private static TokenTransition Apply(GatewayToken token, MdesTokenState update, DateTimeOffset now) =>
        TokenTransitions.Apply(token, TokenReport.Notified(update with { TokenRequestorId = token.TokenRequestorId }, now, TimeSpan.FromDays(1)), now);

    [Fact]
    public void Apply_older_update_is_stale_and_changes_nothing()
    {
        var token = Token();
        var outcome = Apply(token, new MdesTokenState { Status = TokenStatuses.Suspended, StatusTimestamp = T0.AddSeconds(-1) }, T0);

        outcome.Applied.ShouldBeFalse();
        token.Status.ShouldBe(TokenStatuses.Active);
        token.StatusTimestamp.ShouldBe(T0);
    }

    [Fact]
    public void Apply_suspension_sets_holders_and_asks_for_a_purge()
    {
        var token = Token();
        var outcome = Apply(token,
            new MdesTokenState { Status = TokenStatuses.Suspended, SuspendedBy = ["ISSUER"], StatusTimestamp = T0.AddSeconds(1) }, T0);

        outcome.Applied.ShouldBeTrue();
        outcome.PurgeCryptograms.ShouldBeTrue();
        token.SuspendedBy.ShouldBe(["ISSUER"]);
        token.ArchivedAt.ShouldBeNull();
    }

    [Fact]
    public void Apply_deactivation_archives_and_nothing_later_reactivates()
    {
        var token = Token();
        Apply(token, new MdesTokenState { Status = TokenStatuses.Deactivated, StatusTimestamp = T0.AddSeconds(1) }, T0.AddMinutes(1))
            .PurgeCryptograms.ShouldBeTrue();
        token.ArchivedAt.ShouldBe(T0.AddMinutes(1));

        Apply(token, new MdesTokenState { Status = TokenStatuses.Active, StatusTimestamp = T0.AddSeconds(9) }, T0).Applied.ShouldBeFalse();
        token.Status.ShouldBe(TokenStatuses.Deactivated);
    }

    [Fact]
    public void Apply_redigitization_purges_and_restarts_the_recurring_series()
    {
        var token = Token();
        var outcome = Apply(token, new MdesTokenState
        {
            Status = TokenStatuses.Active,
            StatusTimestamp = T0.AddSeconds(1),
            EventReasonCode = TokenTransitions.RedigitizationComplete,
        }, T0);

        outcome.Redigitized.ShouldBeTrue();
        outcome.PurgeCryptograms.ShouldBeTrue();
        token.RestartRecurringSeries.ShouldBeTrue();
    }

    [Fact]
    public void Apply_token_info_without_status_updates_suffixes()
    {
        var token = Token();
        Apply(token, new MdesTokenState { TokenInfo = new MdesTokenInfo { AccountPanSuffix = "9876", TokenPanSuffix = "1111" } }, T0)
            .Applied.ShouldBeTrue();

        token.PanSuffix.ShouldBe("9876");
        token.TokenPanSuffix.ShouldBe("1111");
        token.Status.ShouldBe(TokenStatuses.Active);
    }

    [Fact]
    public void Apply_product_config_reports_only_asset_ids_not_named_before()
    {
        var token = Token();
        token.ProductConfig = JsonDocument.Parse("""{"brandLogoAssetId":"a1","cardBackgroundCombinedAssetId":"b1"}""");
        var outcome = Apply(token, new MdesTokenState
        {
            ProductConfig = new ProductConfig { BrandLogoAssetId = "a1", CardBackgroundCombinedAssetId = "b2", IconAssetId = "i1" },
        }, T0);

        outcome.NewAssetIds.ShouldBe(["b2", "i1"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("331231", "1233")]
    [InlineData("31123", null)]
    [InlineData(null, null)]
    public void Token_expiry_from_application_expiry_is_mmyy(string? applicationExpiry, string? expected) =>
        MdesCryptogram.TokenExpiryOf(applicationExpiry).ShouldBe(expected);

    [Fact]
    public void Webhook_signature_matches_the_standard_webhooks_test_vector()
    {
        // The Standard Webhooks specification's own example (secret, id, timestamp, body and the signature it gives).
        var key = WebhookSignature.KeyOf("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        WebhookSignature.Sign([key], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}""")
            .ShouldBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    [Fact]
    public void Webhook_signature_carries_one_entry_per_key_and_repeats_the_first_so_none_is_last_alone()
    {
        var single = WebhookSignature.Sign([[1, 2, 3]], "evt", 1_700_000_000, "{}");
        var header = WebhookSignature.Sign([[1, 2, 3], [4, 5, 6]], "evt", 1_700_000_000, "{}").Split(' ');

        single.Split(' ').ShouldBe([header[0]]);
        header.ShouldAllBe(entry => entry.StartsWith("v1,"));
        header.Length.ShouldBe(3);
        header[2].ShouldBe(header[0]);
        header[1].ShouldNotBe(header[0]);
    }

    [Fact]
    public void Webhook_secret_is_standard_base64_of_32_bytes_and_legacy_secrets_keep_their_utf8_key()
    {
        var secret = WebhookSignature.NewSecret();
        secret.ShouldStartWith("whsec_");
        Convert.FromBase64String(secret["whsec_".Length..]).Length.ShouldBe(32);
        WebhookSignature.KeyOf(secret).ShouldBe(Convert.FromBase64String(secret["whsec_".Length..]));
        secret.ShouldNotBe(WebhookSignature.NewSecret());

        // Issued before ADR 0407: base64url without padding, keyed by the string's UTF-8 bytes.
        const string legacy = "whsec_q2V8vO1-VjZ3cPqkZB7n7mQ0x7pH9f0b1uE2s3TgK_c";
        WebhookSignature.KeyOf(legacy).ShouldBe(System.Text.Encoding.UTF8.GetBytes(legacy));
    }

    [Fact]
    public void Webhook_retry_delay_doubles_up_to_the_cap()
    {
        var options = new WebhookOptions { InitialRetryDelay = TimeSpan.FromSeconds(5), MaxRetryDelay = TimeSpan.FromSeconds(30) };

        WebhookDispatcher.RetryDelay(1, options).ShouldBe(TimeSpan.FromSeconds(5));
        WebhookDispatcher.RetryDelay(2, options).ShouldBe(TimeSpan.FromSeconds(10));
        WebhookDispatcher.RetryDelay(3, options).ShouldBe(TimeSpan.FromSeconds(20));
        WebhookDispatcher.RetryDelay(10, options).ShouldBe(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Snapshot_treats_a_reordered_product_config_and_a_repeated_status_as_no_change()
    {
        var token = Token();
        var config = new ProductConfig { BrandLogoAssetId = "b1", IconAssetId = "i1", ForegroundColor = "FFFFFF" };
        // As PostgreSQL hands jsonb back: the same members in another order.
        var stored = JsonSerializer.SerializeToNode(config, MdesJson.Options)!.AsObject();
        var reordered = new System.Text.Json.Nodes.JsonObject();
        foreach (var (name, value) in stored.Reverse().ToList())
        {
            reordered[name] = value?.DeepClone();
        }

        token.ProductConfig = JsonDocument.Parse(reordered.ToJsonString());
        var before = TokenSnapshot.Of(token);

        var outcome = Apply(token, new MdesTokenState { Status = TokenStatuses.Active, StatusTimestamp = T0, ProductConfig = config },
            T0.AddMinutes(1));

        outcome.Applied.ShouldBeTrue();
        before.SameAs(token).ShouldBeTrue();
    }

    [Fact]
    public void Snapshot_sees_a_new_asset_id_and_a_new_status_as_changes_but_not_a_newer_timestamp_alone()
    {
        var token = Token();
        token.ProductConfig = JsonDocument.Parse("""{"brandLogoAssetId":"b1"}""");
        var before = TokenSnapshot.Of(token);

        Apply(token, new MdesTokenState { ProductConfig = new ProductConfig { BrandLogoAssetId = "b2" } }, T0);
        before.SameAs(token).ShouldBeFalse();

        var again = TokenSnapshot.Of(token);
        Apply(token, new MdesTokenState { Status = TokenStatuses.Active, StatusTimestamp = T0.AddSeconds(1) }, T0);
        again.SameAs(token).ShouldBeTrue();
        token.StatusTimestamp.ShouldBe(T0.AddSeconds(1));

        Apply(token, new MdesTokenState { Status = TokenStatuses.Suspended, SuspendedBy = ["ISSUER"], StatusTimestamp = T0.AddSeconds(2) }, T0);
        again.SameAs(token).ShouldBeFalse();
    }
}
