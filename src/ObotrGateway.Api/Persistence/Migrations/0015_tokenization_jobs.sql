-- Bulk card-on-file migration (issue 8). A job is one upload; its items are the upload's lines.
-- An item holds its card (PAN, expiry, name) only AES-GCM encrypted, and only until it is processed:
-- the UPDATE that records its outcome sets encrypted_card to NULL. Invalid lines are items too (status
-- 'invalid', reason_code), never with card data.
CREATE TABLE tokenization_jobs (
    id                  uuid        PRIMARY KEY,
    merchant_id         uuid        NOT NULL REFERENCES merchants (id),
    token_requestor_id  text        NOT NULL CHECK (token_requestor_id ~ '^[0-9]{11}$'),
    -- uploading → running → completed | cancelled; 'failed' when the upload broke off (no work is done for it).
    status              text        NOT NULL CHECK (status IN ('uploading', 'running', 'completed', 'cancelled', 'failed')),
    format              text        NOT NULL CHECK (format IN ('ndjson', 'csv')),
    idempotency_key     text,
    -- Keyed HMAC of the upload (it holds PANs): a retry with the same key must send the same bytes.
    request_fingerprint bytea,
    total_lines         bigint      NOT NULL DEFAULT 0,
    invalid_lines       bigint      NOT NULL DEFAULT 0,
    cancel_requested_at timestamptz,
    created_at          timestamptz NOT NULL,
    started_at          timestamptz,
    finished_at         timestamptz
);

CREATE INDEX tokenization_jobs_merchant ON tokenization_jobs (merchant_id, created_at DESC);
CREATE UNIQUE INDEX tokenization_jobs_idempotency ON tokenization_jobs (merchant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE tokenization_job_items (
    job_id            uuid        NOT NULL REFERENCES tokenization_jobs (id) ON DELETE CASCADE,
    line_number       bigint      NOT NULL,
    reference         text,
    -- Random at insert: workers take items in this order, spreading calls across account ranges and issuers.
    order_key         bigint      NOT NULL,
    status            text        NOT NULL CHECK (status IN ('pending', 'in_progress', 'provisioned', 'declined', 'ineligible',
                                                             'skipped_ineligible_range', 'rejected', 'failed', 'cancelled', 'invalid')),
    reason_code       text,
    pan_suffix        text        CHECK (pan_suffix ~ '^[0-9]{4}$'),
    encrypted_card    bytea,
    -- Written BEFORE the Tokenize call (with the PENDING gateway_tokens row of that id): after a crash, the
    -- next worker reconciles by GetTaskStatus(task_id) instead of tokenizing a second time.
    task_id           text,
    gateway_token_id  uuid,
    gateway_token     text,
    attempts          int         NOT NULL DEFAULT 0,
    claim_id          uuid,
    lease_until       timestamptz,
    not_before        timestamptz,
    mdes_called       boolean     NOT NULL DEFAULT false,
    completed_at      timestamptz,
    PRIMARY KEY (job_id, line_number),
    CHECK (encrypted_card IS NULL OR status IN ('pending', 'in_progress'))
);

-- A reference maps to one result: a second line with the same reference becomes an 'invalid' item.
CREATE UNIQUE INDEX tokenization_job_items_reference ON tokenization_job_items (job_id, reference) WHERE status <> 'invalid';
CREATE INDEX tokenization_job_items_work ON tokenization_job_items (job_id, order_key) WHERE status IN ('pending', 'in_progress');
CREATE INDEX tokenization_job_items_status ON tokenization_job_items (job_id, status, line_number);
CREATE INDEX tokenization_job_items_completed ON tokenization_job_items (job_id, completed_at) WHERE mdes_called;
