-- Standard Webhooks secret rotation (ADR 0407): after a rotation the replaced secret keeps signing deliveries (a second
-- signature in webhook-signature) until previous_secret_expires_at, so a merchant can switch receivers without a gap.
-- Both NULL when there is no previous secret; encrypted like secret_protected (DataProtector, merchant id as AAD).
ALTER TABLE merchant_webhooks
    ADD COLUMN previous_secret_protected  bytea,
    ADD COLUMN previous_secret_expires_at timestamptz,
    ADD CONSTRAINT ck_merchant_webhooks_previous_secret
        CHECK ((previous_secret_protected IS NULL) = (previous_secret_expires_at IS NULL));
