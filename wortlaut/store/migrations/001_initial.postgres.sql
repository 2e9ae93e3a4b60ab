-- Same tables as the SQLite schema; full text via generated tsvector columns with GIN indexes.
-- The 'simple' configuration (no stemming) matches SQLite's unicode61 tokenizer, so both stores find the same rows.
-- tsvector values are capped at 1 MB, so only the first 200,000 characters of an article body are indexed.
CREATE TABLE articles (
    pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    url TEXT UNIQUE,
    content_hash TEXT NOT NULL,
    title TEXT,
    date TEXT,
    source TEXT,
    author TEXT,
    text TEXT NOT NULL,
    lang TEXT,
    analysed_at TEXT,
    model TEXT,
    tsv tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', coalesce(title, '') || ' ' || left(text, 200000))
    ) STORED
);
CREATE INDEX articles_hash ON articles (content_hash);
CREATE INDEX articles_date ON articles (date);
CREATE INDEX articles_source ON articles (source);
CREATE INDEX articles_tsv ON articles USING gin (tsv);

CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    descriptors TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE aliases (
    alias TEXT NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    manual BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (alias, entity_id)
);
CREATE UNIQUE INDEX aliases_manual ON aliases (alias) WHERE manual;
CREATE INDEX aliases_entity ON aliases (entity_id);

CREATE TABLE quotations (
    pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    qid TEXT NOT NULL,
    type TEXT NOT NULL,
    medium TEXT,
    confidence DOUBLE PRECISION,
    nested_in TEXT,
    quote_text TEXT NOT NULL,
    speaker_text TEXT NOT NULL,
    entity_id TEXT REFERENCES entities (id) ON DELETE SET NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    article_date TEXT NOT NULL DEFAULT '',
    tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', quote_text || ' ' || speaker_text)) STORED,
    speaker_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', speaker_text)) STORED,
    UNIQUE (article_id, qid)
);
CREATE INDEX quotations_entity ON quotations (entity_id);
CREATE INDEX quotations_date ON quotations (article_date, pk);
CREATE INDEX quotations_type ON quotations (type);
CREATE INDEX quotations_tsv ON quotations USING gin (tsv);
CREATE INDEX quotations_speaker_tsv ON quotations USING gin (speaker_tsv);

CREATE TABLE spans (
    quotation_pk BIGINT NOT NULL REFERENCES quotations (pk) ON DELETE CASCADE,
    part TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX spans_quotation ON spans (quotation_pk);
