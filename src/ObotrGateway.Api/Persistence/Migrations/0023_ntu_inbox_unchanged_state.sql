-- An NTU that tells us nothing new (GetToken — merchant refresh, activation fallback, resync — already applied the
-- same state) is kept in the history as 'unchanged' and produces no merchant event: one event per change.
ALTER TABLE ntu_inbox DROP CONSTRAINT ntu_inbox_state_check,
    ADD CONSTRAINT ntu_inbox_state_check CHECK (state IN ('received', 'waiting', 'applied', 'unchanged', 'stale'));
