-- Serving under load. store_generation counts committed write transactions (every one adds 1, see
-- Backend.transaction), so a server can tell in one read whether anything changed since it cached a page.
-- The indexes answer a speaker's page from index entries alone: its counts by type, medium and date, the
-- quotations nested in one of the same speaker's own (statement counts) and its addressees.
CREATE TABLE store_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n BIGINT NOT NULL
);
INSERT INTO store_generation (id, n) VALUES (1, 0);
CREATE INDEX quotations_profile ON quotations (entity_id, type, medium, article_date);
CREATE INDEX quotations_nested ON quotations (entity_id, article_id, nested_in) WHERE nested_in IS NOT NULL;
CREATE INDEX spans_addressee ON spans (quotation_pk, text) WHERE part = 'addressee';
ANALYZE quotations;
ANALYZE spans;
