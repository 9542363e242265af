-- Retention for the NTU inbox and the webhook outbox/delivery log (NotificationRetentionPurge): processed inbox rows
-- and finished events are deleted after Notifications:InboxRetention / Webhooks:EventRetention.

-- An event keeps its token change's inbox row from being deleted (inbox_id had no ON DELETE rule). Once the NTU is
-- processed the link has done its job (one event per NTU), so the inbox row may go first and the event stays,
-- unlinked: the two retentions are independent.
ALTER TABLE webhook_outbox DROP CONSTRAINT webhook_outbox_inbox_id_fkey,
    ADD CONSTRAINT webhook_outbox_inbox_id_fkey FOREIGN KEY (inbox_id) REFERENCES ntu_inbox (id) ON DELETE SET NULL;

-- The purges scan by age within the rows they may delete (partial indexes: in-flight rows are never candidates).
CREATE INDEX IF NOT EXISTS ix_ntu_inbox_processed ON ntu_inbox (processed_at) WHERE state IN ('applied', 'unchanged', 'stale');
CREATE INDEX IF NOT EXISTS ix_webhook_outbox_finished ON webhook_outbox (created_at) WHERE state <> 'pending';

-- Foreign keys whose ON DELETE actions run once per deleted row need an index on the referencing column, or every
-- deleted event (this purge) or archived token (ArchivedTokenPurge, migration 0021) scans the whole child table.
CREATE INDEX IF NOT EXISTS ix_webhook_deliveries_event ON webhook_deliveries (event_id);
CREATE INDEX IF NOT EXISTS ix_webhook_outbox_gateway_token ON webhook_outbox (gateway_token_id);
CREATE INDEX IF NOT EXISTS ix_ntu_inbox_gateway_token ON ntu_inbox (gateway_token_id) WHERE gateway_token_id IS NOT NULL;
