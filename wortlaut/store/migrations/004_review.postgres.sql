-- Review: reviewer accounts, the append-only log of corrections, and per quotation what corrections use:
-- the machine's output they apply to (articles.machine), the anchor they name and the resulting state.
ALTER TABLE articles ADD COLUMN machine TEXT;
ALTER TABLE quotations ADD COLUMN anchor TEXT NOT NULL DEFAULT '';
ALTER TABLE quotations ADD COLUMN review_state TEXT NOT NULL DEFAULT 'unreviewed';
CREATE INDEX quotations_review ON quotations (review_state, confidence, pk);

CREATE TABLE users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('reviewer', 'admin')),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE corrections (
    id BIGSERIAL PRIMARY KEY,
    article_id TEXT NOT NULL,
    target TEXT NOT NULL,
    action TEXT NOT NULL,
    before TEXT NOT NULL DEFAULT '{}',
    after TEXT NOT NULL DEFAULT '{}',
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX corrections_target ON corrections (article_id, target, id);
CREATE FUNCTION corrections_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'corrections are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER corrections_no_change BEFORE UPDATE OR DELETE ON corrections
    FOR EACH ROW EXECUTE FUNCTION corrections_append_only();
