-- Articles, quotations, their spans and the speaker catalogue; FTS5 indexes kept in sync by triggers.
CREATE TABLE articles (
    pk INTEGER PRIMARY KEY,
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
    model TEXT
);
CREATE INDEX articles_hash ON articles (content_hash);
CREATE INDEX articles_date ON articles (date);
CREATE INDEX articles_source ON articles (source);

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
    pk INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    qid TEXT NOT NULL,
    type TEXT NOT NULL,
    medium TEXT,
    confidence REAL,
    nested_in TEXT,
    quote_text TEXT NOT NULL,
    speaker_text TEXT NOT NULL,
    entity_id TEXT REFERENCES entities (id) ON DELETE SET NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    article_date TEXT NOT NULL DEFAULT '',
    UNIQUE (article_id, qid)
);
CREATE INDEX quotations_entity ON quotations (entity_id);
CREATE INDEX quotations_date ON quotations (article_date, pk);
CREATE INDEX quotations_type ON quotations (type);

CREATE TABLE spans (
    quotation_pk INTEGER NOT NULL REFERENCES quotations (pk) ON DELETE CASCADE,
    part TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX spans_quotation ON spans (quotation_pk);

CREATE VIRTUAL TABLE quotations_fts USING fts5 (
    quote_text, speaker_text, content = 'quotations', content_rowid = 'pk',
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TRIGGER quotations_fts_insert AFTER INSERT ON quotations BEGIN
    INSERT INTO quotations_fts (rowid, quote_text, speaker_text) VALUES (new.pk, new.quote_text, new.speaker_text);
END;
CREATE TRIGGER quotations_fts_delete AFTER DELETE ON quotations BEGIN
    INSERT INTO quotations_fts (quotations_fts, rowid, quote_text, speaker_text)
    VALUES ('delete', old.pk, old.quote_text, old.speaker_text);
END;

CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text, content = 'articles', content_rowid = 'pk',
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.pk, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.pk, old.title, old.text);
END;
