-- Filtering by type or speaker and sorting newest first read one index range instead of sorting all matches.
DROP INDEX quotations_type;
DROP INDEX quotations_entity;
CREATE INDEX quotations_type_date ON quotations (type, article_date, pk);
CREATE INDEX quotations_entity_date ON quotations (entity_id, article_date, pk);
ANALYZE;
