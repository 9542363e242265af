-- Gateway tokens: our opaque id ↔ the MDES token (TUR) obtained with the merchant's TRID. No PAN is stored:
-- only its last four digits and a keyed HMAC fingerprint (to recognise the same card, e.g. for reconciliation).
CREATE TABLE gateway_tokens (
    id                        uuid        PRIMARY KEY,
    gateway_token             text        NOT NULL UNIQUE,
    merchant_id               uuid        NOT NULL REFERENCES merchants (id),
    token_requestor_id        text        NOT NULL CHECK (token_requestor_id ~ '^[0-9]{11}$'),
    task_id                   text        NOT NULL,
    source                    text        NOT NULL,
    -- PENDING while Tokenize is in flight or its outcome is unknown; then MDES's INACTIVE/ACTIVE/SUSPENDED/DEACTIVATED.
    status                    text        NOT NULL CHECK (status IN ('PENDING', 'INACTIVE', 'ACTIVE', 'SUSPENDED', 'DEACTIVATED')),
    decision                  text,
    token_unique_reference    text,
    pan_unique_reference      text,
    suspended_by              text[]      NOT NULL DEFAULT '{}',
    status_timestamp          timestamptz,
    pan_suffix                text        NOT NULL CHECK (pan_suffix ~ '^[0-9]{4}$'),
    pan_fingerprint           bytea       NOT NULL,
    token_pan_suffix          text,
    token_expiry              text,
    account_pan_expiry        text,
    product_category          text,
    payment_account_reference text,
    product_config            jsonb,
    -- Set by redigitization: the next merchant-initiated payment must restart the series (SLI 246 + cryptogram).
    restart_recurring_series  boolean     NOT NULL DEFAULT false,
    created_at                timestamptz NOT NULL,
    updated_at                timestamptz NOT NULL,
    archived_at               timestamptz
);

CREATE UNIQUE INDEX ix_gateway_tokens_token_unique_reference ON gateway_tokens (token_unique_reference) WHERE token_unique_reference IS NOT NULL;
CREATE INDEX ix_gateway_tokens_merchant_id_created_at ON gateway_tokens (merchant_id, created_at);
CREATE INDEX ix_gateway_tokens_pan_fingerprint ON gateway_tokens (merchant_id, pan_fingerprint);
CREATE INDEX ix_gateway_tokens_pending ON gateway_tokens (created_at) WHERE status = 'PENDING';

-- Payments as authorized at the acquirer. Money is minor units + ISO 4217 currency.
CREATE TABLE payments (
    id                       uuid        PRIMARY KEY,
    merchant_id              uuid        NOT NULL REFERENCES merchants (id),
    gateway_token_id         uuid        REFERENCES gateway_tokens (id),
    amount                   bigint      NOT NULL CHECK (amount > 0),
    currency                 text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    recurring                text        NOT NULL CHECK (recurring IN ('none', 'initial', 'subsequent')),
    status                   text        NOT NULL CHECK (status IN ('authorized', 'declined')),
    decline_reason           text,
    network_token_used       boolean     NOT NULL,
    security_level_indicator text,
    acquirer_reference       text,
    tokenization_outcome     text,
    created_at               timestamptz NOT NULL
);

CREATE INDEX ix_payments_merchant_id_created_at ON payments (merchant_id, created_at);
CREATE INDEX ix_payments_gateway_token_id ON payments (gateway_token_id) WHERE gateway_token_id IS NOT NULL;
