-- One webhook per merchant. The signing secret is shown once and stored only encrypted (DataProtector).
CREATE TABLE merchant_webhooks (
    merchant_id      uuid        PRIMARY KEY REFERENCES merchants (id),
    url              text        NOT NULL,
    secret_protected bytea       NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

-- Transactional outbox: written in the same transaction as the token change it describes (one event per
-- applied change; inbox_id unique so one NTU can never produce two events). The id is the event id.
CREATE TABLE webhook_outbox (
    id               uuid        PRIMARY KEY,
    merchant_id      uuid        NOT NULL REFERENCES merchants (id),
    gateway_token_id uuid        NOT NULL REFERENCES gateway_tokens (id),
    inbox_id         bigint      UNIQUE REFERENCES ntu_inbox (id),
    event_type       text        NOT NULL,
    payload          jsonb       NOT NULL,
    state            text        NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'no_webhook')),
    attempts         integer     NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL,
    -- Also the claim lease: a dispatcher moves it forward when it takes the row, so no other replica sends it meanwhile.
    next_attempt_at  timestamptz NOT NULL,
    delivered_at     timestamptz
);

CREATE INDEX ix_webhook_outbox_due ON webhook_outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX ix_webhook_outbox_merchant ON webhook_outbox (merchant_id, created_at);

-- Every delivery attempt, for the merchant's delivery log.
CREATE TABLE webhook_deliveries (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    merchant_id  uuid        NOT NULL REFERENCES merchants (id),
    event_id     uuid        NOT NULL REFERENCES webhook_outbox (id),
    attempt      integer     NOT NULL,
    url          text        NOT NULL,
    http_status  integer,
    outcome      text        NOT NULL,
    duration_ms  integer     NOT NULL,
    attempted_at timestamptz NOT NULL
);

CREATE INDEX ix_webhook_deliveries_merchant ON webhook_deliveries (merchant_id, attempted_at DESC);
