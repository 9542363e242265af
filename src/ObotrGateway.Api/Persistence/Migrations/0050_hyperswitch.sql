-- Hyperswitch as a client of our network-tokenization service (docs/hyperswitch.md).

-- One set-up per merchant: Hyperswitch's public key (we encrypt generate answers to it; not a secret), where its
-- network-token webhooks go, and the exact Authorization value they carry (a shared secret: encrypted, DataProtector,
-- merchant id as AAD).
CREATE TABLE hyperswitch_setups (
    merchant_id                      uuid        PRIMARY KEY REFERENCES merchants (id),
    hyperswitch_public_key           text        NOT NULL,
    webhook_url                      text        NOT NULL,
    webhook_authorization_protected  bytea       NOT NULL,
    created_at                       timestamptz NOT NULL,
    updated_at                       timestamptz NOT NULL
);

-- Our RSA key pairs, one current per merchant (retired_at NULL) and the ones a rotation replaced, which still decrypt
-- until retired_at + Hyperswitch:RetiredKeyLifetime (ADR 1102). The private key is PKCS#8, encrypted (DataProtector,
-- merchant id and key id as AAD).
CREATE TABLE hyperswitch_keys (
    key_id                 text        PRIMARY KEY,
    merchant_id            uuid        NOT NULL REFERENCES merchants (id),
    public_key             text        NOT NULL,
    private_key_protected  bytea       NOT NULL,
    created_at             timestamptz NOT NULL,
    retired_at             timestamptz
);

CREATE UNIQUE INDEX ux_hyperswitch_keys_current ON hyperswitch_keys (merchant_id) WHERE retired_at IS NULL;

-- A card Hyperswitch had us tokenize: its consent id (generate is idempotent on it), its customer id (fetch, status and
-- delete must name the same one), and the expiries Hyperswitch holds, in the form it holds them, so a webhook is sent
-- only when one really changes (ADR 1104). gateway_token_id is NULL while the generate that claimed the consent runs.
CREATE TABLE hyperswitch_cards (
    id                  uuid        PRIMARY KEY,
    merchant_id         uuid        NOT NULL REFERENCES merchants (id),
    consent_id          text        NOT NULL,
    customer_id         text        NOT NULL,
    gateway_token_id    uuid        UNIQUE REFERENCES gateway_tokens (id) ON DELETE CASCADE,
    card_expiry_month   text        NOT NULL,
    card_expiry_year    text        NOT NULL,
    token_expiry_month  text,
    token_expiry_year   text,
    created_at          timestamptz NOT NULL,
    CONSTRAINT ux_hyperswitch_cards_consent UNIQUE (merchant_id, consent_id)
);
