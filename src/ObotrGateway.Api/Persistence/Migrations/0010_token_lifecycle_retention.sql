-- Deleted (archived) gateway tokens are purged after a retention period. Payments outlive their token: the
-- purge must not be blocked by them, and a payment keeps its own facts (amount, outcome), so the link is
-- simply cleared.
ALTER TABLE payments DROP CONSTRAINT payments_gateway_token_id_fkey;
ALTER TABLE payments ADD CONSTRAINT payments_gateway_token_id_fkey
    FOREIGN KEY (gateway_token_id) REFERENCES gateway_tokens (id) ON DELETE SET NULL;

-- The retention job scans by archive time.
CREATE INDEX ix_gateway_tokens_archived_at ON gateway_tokens (archived_at) WHERE archived_at IS NOT NULL;
