-- Durable inbox of MDES NotifyTokenUpdated items: one row per (requestId, TUR), written before the 200 ack.
-- It doubles as each token's update history: stale updates stay here (state 'stale') without being applied.
-- payload is the decrypted MDES token object: status, TUR, TRID, reason, timestamps, productConfig and
-- tokenInfo suffixes/expiries. NTUs never carry a PAN or a token number.
CREATE TABLE ntu_inbox (
    id                     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id             text        NOT NULL,
    token_unique_reference text        NOT NULL,
    token_requestor_id     text,
    status                 text,
    event_reason_code      text,
    status_timestamp       timestamptz,
    payload                jsonb       NOT NULL,
    -- received: not yet processed; waiting: TUR not known yet; applied; stale: older than the token's state.
    state                  text        NOT NULL CHECK (state IN ('received', 'waiting', 'applied', 'stale')),
    gateway_token_id       uuid        REFERENCES gateway_tokens (id),
    received_at            timestamptz NOT NULL,
    processed_at           timestamptz,
    CONSTRAINT ux_ntu_inbox_request_tur UNIQUE (request_id, token_unique_reference)
);

CREATE INDEX ix_ntu_inbox_unprocessed ON ntu_inbox (received_at) WHERE state IN ('received', 'waiting');
CREATE INDEX ix_ntu_inbox_token_unique_reference ON ntu_inbox (token_unique_reference, received_at);

-- When the gateway last asked MDES about this token itself (activation fallback, resync).
ALTER TABLE gateway_tokens ADD COLUMN state_checked_at timestamptz;
CREATE INDEX ix_gateway_tokens_inactive ON gateway_tokens (created_at) WHERE status = 'INACTIVE';
