using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ObotrGateway.Api.Cryptograms;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.MdesSimulator.Assets;

namespace ObotrGateway.IntegrationTests.Notifications;

/// <summary>Every issuer-side change reaches the gateway as an NTU and changes the token (with one merchant event each).</summary>
[Collection(NotificationsTestGroup.Name)]
public sealed class IssuerActionTests(GatewayFixture fixture)
{
    private const string DummyCryptogramNumber = "0000000000000000";

    private CryptogramVault Vault => fixture.Factory.Services.GetRequiredService<CryptogramVault>();

    /// <summary>An ACTIVE token whose activation NTU has been applied, so later counts start from a settled state.</summary>
    private Task<(string Token, string Tur, Guid Id)> ActiveTokenAsync(HttpClient client, string? pan = null) =>
        fixture.AddSettledActiveCardAsync(client, pan ?? TestCards.Approved);

    private async Task AddDummyCryptogramAsync(string tur) =>
        (await Vault.AddAsync(tur, await Vault.GenerationAsync(tur), new StoredCryptogram(DummyCryptogramNumber, "311231", "00", "AAAA"))).ShouldBeTrue();

    private async Task ConsoleAsync(string path, object body)
    {
        var (status, answer) = await fixture.Simulator.ConsoleAsync(path, body);
        status.ShouldBe(HttpStatusCode.OK, answer?.ToJsonString());
    }

    private async Task EventsMatchAppliedUpdatesAsync(Guid tokenId, string tur)
    {
        var applied = await fixture.ScalarAsync("SELECT count(*) FROM ntu_inbox WHERE token_unique_reference = $1 AND state = 'applied'", tur);
        var notificationEvents = await fixture.ScalarAsync(
            "SELECT count(*) FROM webhook_outbox WHERE gateway_token_id = $1 AND inbox_id IS NOT NULL", tokenId);
        notificationEvents.ShouldBe(applied);
    }

    [Fact]
    public async Task Issuer_suspend_and_unsuspend_change_the_token_and_suspension_purges_cryptograms()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var (token, tur, id) = await ActiveTokenAsync(client);
            await AddDummyCryptogramAsync(tur);

            await ConsoleAsync("/issuer/tokens/suspend", new { tokenUniqueReferences = new[] { tur }, reasonCode = "SUSPECTED_FRAUD", userId = "u1", userName = "Issuer Agent" });
            var suspended = await fixture.WaitForTokenAsync(token, row => row.Status == "SUSPENDED");
            suspended.SuspendedBy.ShouldBe(["ISSUER"]);
            (await Vault.CountAsync(tur)).ShouldBe(0);

            await ConsoleAsync("/issuer/tokens/unsuspend", new { tokenUniqueReferences = new[] { tur }, reasonCode = "NOT_FRAUD", userId = "u1", userName = "Issuer Agent" });
            var active = await fixture.WaitForTokenAsync(token, row => row.Status == "ACTIVE");
            active.SuspendedBy.ShouldBeEmpty();
            active.StatusTimestamp.ShouldNotBeNull();
            active.StatusTimestamp.Value.ShouldBeGreaterThan(suspended.StatusTimestamp!.Value);
            await EventsMatchAppliedUpdatesAsync(id, tur);
        }
    }

    [Fact]
    public async Task Issuer_delete_deactivates_archives_and_purges()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var (token, tur, id) = await ActiveTokenAsync(client);
            await AddDummyCryptogramAsync(tur);

            await ConsoleAsync("/issuer/tokens/delete", new { tokenUniqueReferences = new[] { tur }, reasonCode = "ACCOUNT_CLOSED", userId = "u1", userName = "Issuer Agent" });

            var deleted = await fixture.WaitForTokenAsync(token, row => row.Status == "DEACTIVATED");
            deleted.ArchivedAt.ShouldNotBeNull();
            (await Vault.CountAsync(tur)).ShouldBe(0);
            await EventsMatchAppliedUpdatesAsync(id, tur);
        }
    }

    [Fact]
    public async Task Issuer_fpan_swap_updates_the_card_suffix()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var (token, tur, id) = await ActiveTokenAsync(client, fixture.FreshApprovedPan());
            var newPan = fixture.FreshApprovedPan();

            await ConsoleAsync("/issuer/tokens/update", new
            {
                tokenUniqueReferences = new[] { tur },
                userId = "u1",
                userName = "Issuer Agent",
                newAccountNumber = newPan,
                newExpiryMonth = "09",
                newExpiryYear = "33",
            });

            await fixture.WaitForTokenAsync(token, row => row.PanSuffix == newPan[^4..]);
            await EventsMatchAppliedUpdatesAsync(id, tur);
        }
    }

    [Fact]
    public async Task Issuer_product_change_replaces_the_card_art_config_and_prefetches_the_new_assets()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var (token, tur, id) = await ActiveTokenAsync(client);
            var before = (await fixture.TokenAsync(token)).ProductConfig;
            // Art only the new product uses; an earlier test may have cached it, and this one must see it fetched.
            var worldElite = ProductCatalog.All[ProductCatalog.WorldElite];
            string[] newAssets = [worldElite.IssuerLogoAssetId, worldElite.IconAssetId, worldElite.CardBackgroundCombinedAssetId!];
            await fixture.ScalarAsync("WITH gone AS (DELETE FROM card_art_assets WHERE asset_id = ANY($1) RETURNING 1) SELECT count(*) FROM gone",
                (object)newAssets);

            await ConsoleAsync("/issuer/tokens/update", new { tokenUniqueReferences = new[] { tur }, userId = "u1", userName = "Issuer Agent", productConfigId = "obotr-world-elite" });

            var changed = await fixture.WaitForTokenAsync(token, row => row.ProductConfig != before);
            changed.ProductConfig.ShouldNotBeNull();
            fixture.Logs.Lines.ShouldContain(line => line.Contains("new card art asset ids", StringComparison.Ordinal)
                && line.Contains(token, StringComparison.Ordinal));
            await EventsMatchAppliedUpdatesAsync(id, tur);
            // Nobody asked for card art: the NTU alone got the new assets into the cache.
            await Eventually.TrueAsync(
                async () => await fixture.ScalarAsync("SELECT count(*) FROM card_art_assets WHERE asset_id = ANY($1)", (object)newAssets) == 3,
                TimeSpan.FromSeconds(20), "new card art assets not prefetched");
        }
    }

    [Fact]
    public async Task Issuer_redigitize_purges_transacts_for_the_new_number_and_restarts_the_series()
    {
        var (_, client) = await fixture.NewMerchantAsync();
        using (client)
        {
            var (token, tur, id) = await ActiveTokenAsync(client);
            await AddDummyCryptogramAsync(tur);
            var generation = await Vault.GenerationAsync(tur);

            await ConsoleAsync("/issuer/tokens/redigitize", new { tokenUniqueReferences = new[] { tur }, userId = "u1", userName = "Issuer Agent" });

            await fixture.WaitForTokenAsync(token, row => row.RestartRecurringSeries);
            (await Vault.GenerationAsync(tur)).ShouldBeGreaterThan(generation);
            // The dummy is gone; what is left is the cryptogram of the Transact that read the new token number.
            await Eventually.TrueAsync(async () => await Vault.CountAsync(tur) == 1, TimeSpan.FromSeconds(10), "no post-redigitization Transact");
            var kept = (await Vault.TakeAsync(tur))!;
            kept.TokenNumber.ShouldNotBe(DummyCryptogramNumber);
            fixture.SecretsSeen.Add(kept.TokenNumber);
            (await fixture.TokenAsync(token)).TokenPanSuffix.ShouldBe(kept.TokenNumber[^4..]);
            await EventsMatchAppliedUpdatesAsync(id, tur);
        }
    }

    [Fact]
    public async Task Cardholder_set_token_status_changes_every_token_of_the_card()
    {
        var pan = fixture.FreshApprovedPan();
        var (_, first) = await fixture.NewMerchantAsync();
        var (_, second) = await fixture.NewMerchantAsync();
        using (first)
        using (second)
        {
            var one = await ActiveTokenAsync(first, pan);
            var two = await ActiveTokenAsync(second, pan);
            var search = await fixture.Simulator.ConsoleAsync("/issuer/tokens/search", new { tokenUniqueReference = one.Tur });
            var cardContractId = (string)search.Body!["tokens"]![0]!["cardContractId"]!;

            async Task SetAsync(string status, string expected)
            {
                var (code, body) = await fixture.Simulator.ConsoleAsync($"/cards/{cardContractId}/tokens",
                    new { tokenStatus = status, userId = "u1", userName = "Cardholder" }, HttpMethod.Put);
                code.ShouldBe(HttpStatusCode.NoContent, body?.ToJsonString());
                await fixture.WaitForTokenAsync(one.Token, row => row.Status == expected);
                await fixture.WaitForTokenAsync(two.Token, row => row.Status == expected);
            }

            await SetAsync("SUSPEND", "SUSPENDED");
            (await fixture.TokenAsync(one.Token)).SuspendedBy.ShouldBe(["CARDHOLDER"]);
            await SetAsync("RESUME", "ACTIVE");
            await SetAsync("DEACTIVATE", "DEACTIVATED");
            (await fixture.TokenAsync(two.Token)).ArchivedAt.ShouldNotBeNull();
            await EventsMatchAppliedUpdatesAsync(one.Id, one.Tur);
            await EventsMatchAppliedUpdatesAsync(two.Id, two.Tur);
        }
    }
}
