-- Reconciliation of Tokenize calls whose outcome was unknown (timeout after sending, crash): a PENDING row whose
-- task MDES completed is an orphan MDES token we cannot name without the PAN. It is marked here and adopted the
-- next time the merchant adds the same card (found by SearchTokens with that card), instead of creating another.
-- outcome_unknown: Tokenize timed out after sending; the live request is over, reconcile after a short wait.
-- A row with no mark is reconciled only after a long crash cutoff, when no live request can still own it.
ALTER TABLE gateway_tokens
    ADD COLUMN reconciliation text CHECK (reconciliation IN ('outcome_unknown', 'orphan_suspected')),
    ADD COLUMN reconciled_at  timestamptz;
