-- Reconciliation of Tokenize calls whose outcome was unknown (timeout after sending, crash): a PENDING row whose
-- task MDES completed is an orphan MDES token we cannot name without the PAN. It is marked here and adopted the
-- next time the merchant adds the same card (found by SearchTokens with that card), instead of creating another.
ALTER TABLE gateway_tokens
    ADD COLUMN reconciliation text CHECK (reconciliation IN ('orphan_suspected')),
    ADD COLUMN reconciled_at  timestamptz;
