-- Full text over folded words (lower case, ä=ae, ö=oe, ü=ue, ß=ss, every non-letter a separator), the same words
-- SQLite indexes, so both stores find the same rows. The folding is spelled out here instead of left to the text
-- search parser, whose idea of a letter depends on the server locale (under C, „Wir is one word).
-- It needs a server built with ICU (the und-x-icu collation), as the PostgreSQL packages of Debian, Ubuntu,
-- RHEL and the official Docker images are; that makes lower case and [:alnum:] the same on every locale.
-- wortlaut.store.query.fold is the same function in Python.
CREATE FUNCTION wortlaut_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT btrim(regexp_replace(
        replace(replace(replace(replace(
            lower(normalize(value, NFC) COLLATE "und-x-icu"), 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss'),
        '[^[:alnum:]]+', ' ', 'g'))
$$;

-- A phrase must not run from one field into the next (SQLite keeps them in separate columns), so a lexeme no
-- query can produce ('_') sits between them and keeps their positions apart.
ALTER TABLE quotations DROP COLUMN tsv, DROP COLUMN speaker_tsv;
ALTER TABLE quotations
    ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', wortlaut_fold(quote_text)) || '_:1'::tsvector
        || to_tsvector('simple', wortlaut_fold(speaker_text))
    ) STORED,
    ADD COLUMN speaker_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', wortlaut_fold(speaker_text))) STORED;
CREATE INDEX quotations_tsv ON quotations USING gin (tsv);
CREATE INDEX quotations_speaker_tsv ON quotations USING gin (speaker_tsv);

ALTER TABLE articles DROP COLUMN tsv;
ALTER TABLE articles
    ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', wortlaut_fold(coalesce(title, ''))) || '_:1'::tsvector
        || to_tsvector('simple', wortlaut_fold(left(text, 200000)))
    ) STORED;
CREATE INDEX articles_tsv ON articles USING gin (tsv);
