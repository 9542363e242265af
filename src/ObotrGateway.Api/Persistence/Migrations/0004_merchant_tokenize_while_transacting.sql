-- How a merchant's "pay with a card and store it" works: tokenize first and pay with the token ('inline'),
-- or pay with the PAN now and tokenize right after ('after_authorization').
ALTER TABLE merchants
    ADD COLUMN tokenize_while_transacting text NOT NULL DEFAULT 'inline'
        CHECK (tokenize_while_transacting IN ('inline', 'after_authorization'));
