-- An NTU naming another tokenRequestorId than its token's (or none) is kept as evidence but never applied: 'rejected'.
-- It is history like 'stale', so the retention purge removes it after Notifications:InboxRetention.
ALTER TABLE ntu_inbox DROP CONSTRAINT ntu_inbox_state_check,
    ADD CONSTRAINT ntu_inbox_state_check CHECK (state IN ('received', 'waiting', 'applied', 'unchanged', 'stale', 'rejected'));

DROP INDEX IF EXISTS ix_ntu_inbox_processed;
CREATE INDEX ix_ntu_inbox_processed ON ntu_inbox (processed_at) WHERE state IN ('applied', 'unchanged', 'stale', 'rejected');

-- Rows waiting for a TUR the gateway does not know are purged by age (Notifications:WaitingRetention); the sweeper's
-- partial index ix_ntu_inbox_unprocessed (received_at, on received/waiting rows) serves that scan.

-- Before this migration a statusTimestamp in the future (a forged or broken NTU) was stored as is and then outranked every
-- later update, GetToken included. Such a timestamp now counts as its receipt time (TokenUpdateRules.ClampToReceipt);
-- tokens already holding one get the time of their last change instead, the best receipt time we still know.
UPDATE gateway_tokens SET status_timestamp = updated_at WHERE status_timestamp > now() + interval '5 minutes';
