-- MDES assets never change behind an id (new art means a new id), so they are cached forever. Assets are
-- images and PDFs of card designs and logos: not card data.
CREATE TABLE card_art_assets (
    asset_id   text        PRIMARY KEY,
    media_type text        NOT NULL,
    bytes      bytea       NOT NULL,
    width      integer,
    height     integer,
    fetched_at timestamptz NOT NULL
);

-- Combined images we composed, keyed by a hash of the component asset ids and drawing options (a function
-- of immutable inputs, so also cached forever).
CREATE TABLE card_art_composites (
    cache_key  text        PRIMARY KEY,
    media_type text        NOT NULL,
    bytes      bytea       NOT NULL,
    created_at timestamptz NOT NULL
);
