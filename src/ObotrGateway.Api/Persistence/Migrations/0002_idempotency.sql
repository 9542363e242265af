-- Idempotency-Key records for merchant writes. The stored response is AES-GCM encrypted (it can hold a token
-- number or cryptogram); the request fingerprint is a keyed HMAC (the body can hold a PAN).
CREATE TABLE idempotency_records (
    merchant_id         uuid        NOT NULL REFERENCES merchants (id),
    idempotency_key     text        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    request_fingerprint bytea       NOT NULL,
    response_status     integer,
    response_headers    jsonb,
    response_body       bytea,
    created_at          timestamptz NOT NULL,
    completed_at        timestamptz,
    PRIMARY KEY (merchant_id, idempotency_key)
);

CREATE INDEX ix_idempotency_records_created_at ON idempotency_records (created_at);
