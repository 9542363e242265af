-- Merchants and their access. A merchant's API key is stored only as its SHA-256 (keys are 256-bit random,
-- so a fast hash is enough; the key itself is shown once). Each merchant has its own MDES TRID.
CREATE TABLE merchants (
    id                 uuid        PRIMARY KEY,
    name               text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    token_requestor_id text        NOT NULL CHECK (token_requestor_id ~ '^[0-9]{11}$'),
    api_key_hash       bytea       NOT NULL,
    created_at         timestamptz NOT NULL,
    api_key_rotated_at timestamptz NOT NULL
);

CREATE UNIQUE INDEX ix_merchants_api_key_hash ON merchants (api_key_hash);
CREATE UNIQUE INDEX ix_merchants_token_requestor_id ON merchants (token_requestor_id);
