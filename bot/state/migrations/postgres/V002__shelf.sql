-- The shelf: every article a team has added, shared by every process (its index is derived from it).
CREATE TABLE shelf_articles(
    name TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    original BYTEA,
    format TEXT NOT NULL,
    meta TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    added_by BIGINT,
    changed_at TIMESTAMPTZ NOT NULL,
    removed_at TIMESTAMPTZ
);
CREATE INDEX shelf_articles_changed ON shelf_articles(changed_at);
