-- The archive retention job deletes gateway tokens archived long ago (migration 0010, TokenLifecycle). Tables added
-- by later features must let it: NTU history keeps its rows without the link; webhook events (delivered long
-- before) and their delivery log go with the token.
ALTER TABLE ntu_inbox DROP CONSTRAINT ntu_inbox_gateway_token_id_fkey,
    ADD CONSTRAINT ntu_inbox_gateway_token_id_fkey FOREIGN KEY (gateway_token_id) REFERENCES gateway_tokens (id) ON DELETE SET NULL;

ALTER TABLE webhook_outbox DROP CONSTRAINT webhook_outbox_gateway_token_id_fkey,
    ADD CONSTRAINT webhook_outbox_gateway_token_id_fkey FOREIGN KEY (gateway_token_id) REFERENCES gateway_tokens (id) ON DELETE CASCADE;

ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_event_id_fkey,
    ADD CONSTRAINT webhook_deliveries_event_id_fkey FOREIGN KEY (event_id) REFERENCES webhook_outbox (id) ON DELETE CASCADE;
