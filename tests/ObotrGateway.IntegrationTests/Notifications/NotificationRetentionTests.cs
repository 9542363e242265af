using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ObotrGateway.Api.Notifications;
using ObotrGateway.Api.Webhooks;
using ObotrGateway.IntegrationTests.Infrastructure;
using ObotrGateway.IntegrationTests.Webhooks;

namespace ObotrGateway.IntegrationTests.Notifications;

[Collection(NotificationsTestGroup.Name)]
public sealed class NotificationRetentionTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Retention_purge_removes_old_processed_ntus_long_waiting_ones_and_finished_events_and_keeps_fresh_and_unprocessed_ones()
    {
        var (merchant, client) = await fixture.NewMerchantAsync();
        using (client)
        using (var sender = new NtuSender(fixture))
        {
            var db = fixture.Database;
            var now = DateTimeOffset.UtcNow;
            var old = now.AddDays(-31); // the deployed defaults keep 30 days
            var fresh = now.AddDays(-29);
            var trid = merchant.TokenRequestorId;
            var tur = NtuSender.NewTur();
            var (tokenId, _) = await sender.InsertTokenAsync(merchant.MerchantId, trid, tur, old);

            var oldApplied = await db.InsertInboxAsync(tur, trid, NtuInboxStates.Applied, tokenId, old, old);
            var oldStale = await db.InsertInboxAsync(tur, trid, NtuInboxStates.Stale, tokenId, old, old);
            var oldRejected = await db.InsertInboxAsync(tur, "59999999999", NtuInboxStates.Rejected, tokenId, old, old);
            var freshApplied = await db.InsertInboxAsync(tur, trid, NtuInboxStates.Applied, tokenId, fresh, fresh);
            var oldAppliedWithFreshEvent = await db.InsertInboxAsync(tur, trid, NtuInboxStates.Applied, tokenId, old, old);
            // Never processed, however old (TURs the gateway does not know, so the sweeper at most moves them to waiting).
            var oldReceived = await db.InsertInboxAsync(NtuSender.NewTur(), trid, NtuInboxStates.Received, null, old, null);
            // Waiting for a TUR nobody has: bounded by Notifications:WaitingRetention (1 day by default), not by the history's 30.
            var oldWaiting = await db.InsertInboxAsync(NtuSender.NewTur(), trid, NtuInboxStates.Waiting, null, now.AddDays(-2), null);
            var recentWaiting = await db.InsertInboxAsync(NtuSender.NewTur(), trid, NtuInboxStates.Waiting, null, now.AddHours(-1), null);

            var oldDelivered = await db.InsertEventAsync(merchant.MerchantId, tokenId, WebhookEventStates.Delivered, old, oldApplied);
            var oldDeliveredAttempt = await db.InsertDeliveryAsync(merchant.MerchantId, oldDelivered, old);
            var oldFailed = await db.InsertEventAsync(merchant.MerchantId, tokenId, WebhookEventStates.Failed, old, oldStale);
            var oldNoWebhook = await db.InsertEventAsync(merchant.MerchantId, tokenId, WebhookEventStates.NoWebhook, old);
            // Still being retried: not due yet, so the fixture's dispatcher leaves it alone during the test.
            var oldPending = await db.InsertEventAsync(merchant.MerchantId, tokenId, WebhookEventStates.Pending, old, nextAttemptAt: now.AddHours(1));
            var oldPendingAttempt = await db.InsertDeliveryAsync(merchant.MerchantId, oldPending, old);
            var freshDelivered = await db.InsertEventAsync(merchant.MerchantId, tokenId, WebhookEventStates.Delivered, fresh, freshApplied);
            var freshDeliveredAttempt = await db.InsertDeliveryAsync(merchant.MerchantId, freshDelivered, fresh);
            var freshEventOfOldNtu = await db.InsertEventAsync(merchant.MerchantId, tokenId, WebhookEventStates.Delivered, fresh, oldAppliedWithFreshEvent);

            await fixture.Factory.Services.GetRequiredService<NotificationRetentionPurge>().PurgeAsync(CancellationToken.None);

            async Task<long> InboxRows(long id) => await db.ScalarAsync("SELECT count(*) FROM ntu_inbox WHERE id = $1", id);
            async Task<long> Events(Guid id) => await db.ScalarAsync("SELECT count(*) FROM webhook_outbox WHERE id = $1", id);
            async Task<long> Attempts(long id) => await db.ScalarAsync("SELECT count(*) FROM webhook_deliveries WHERE id = $1", id);

            (await InboxRows(oldApplied)).ShouldBe(0);
            (await InboxRows(oldStale)).ShouldBe(0);
            (await InboxRows(oldAppliedWithFreshEvent)).ShouldBe(0);
            (await InboxRows(freshApplied)).ShouldBe(1);
            (await InboxRows(oldRejected)).ShouldBe(0);
            (await InboxRows(oldReceived)).ShouldBe(1);
            (await InboxRows(oldWaiting)).ShouldBe(0);
            (await InboxRows(recentWaiting)).ShouldBe(1);

            (await Events(oldDelivered)).ShouldBe(0);
            (await Attempts(oldDeliveredAttempt)).ShouldBe(0);
            (await Events(oldFailed)).ShouldBe(0);
            (await Events(oldNoWebhook)).ShouldBe(0);
            (await Events(oldPending)).ShouldBe(1);
            (await Attempts(oldPendingAttempt)).ShouldBe(1);
            (await Events(freshDelivered)).ShouldBe(1);
            (await Attempts(freshDeliveredAttempt)).ShouldBe(1);
            // Its NTU went; the event stays, unlinked.
            (await db.ScalarAsync("SELECT count(*) FROM webhook_outbox WHERE id = $1 AND inbox_id IS NULL", freshEventOfOldNtu)).ShouldBe(1);
            (await db.ScalarAsync("SELECT count(*) FROM gateway_tokens WHERE id = $1", tokenId)).ShouldBe(1);

            // And it runs by itself in every replica.
            fixture.Factory.Services.GetServices<IHostedService>().OfType<NotificationRetentionPurgeService>().ShouldHaveSingleItem();
        }
    }
}
