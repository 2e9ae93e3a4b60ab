-- Full text over folded words (lower case, ä=ae, ö=oe, ü=ue, ß=ss, every non-letter a separator), the same words
-- PostgreSQL indexes, so both stores find the same rows. wortlaut_fold is wortlaut.store.query.fold, registered
-- on every connection. The indexes are contentless: they only answer MATCH, the text lives in the tables.
-- Like PostgreSQL, only the first 200,000 characters of an article body are indexed.
DROP TRIGGER quotations_fts_insert;
DROP TRIGGER quotations_fts_delete;
DROP TABLE quotations_fts;
CREATE VIRTUAL TABLE quotations_fts USING fts5 (
    quote_text, speaker_text, content = '', tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO quotations_fts (rowid, quote_text, speaker_text)
SELECT pk, wortlaut_fold(quote_text), wortlaut_fold(speaker_text) FROM quotations;
CREATE TRIGGER quotations_fts_insert AFTER INSERT ON quotations BEGIN
    INSERT INTO quotations_fts (rowid, quote_text, speaker_text)
    VALUES (new.pk, wortlaut_fold(new.quote_text), wortlaut_fold(new.speaker_text));
END;
CREATE TRIGGER quotations_fts_delete AFTER DELETE ON quotations BEGIN
    INSERT INTO quotations_fts (quotations_fts, rowid, quote_text, speaker_text)
    VALUES ('delete', old.pk, wortlaut_fold(old.quote_text), wortlaut_fold(old.speaker_text));
END;

DROP TRIGGER articles_fts_insert;
DROP TRIGGER articles_fts_delete;
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text, content = '', tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO articles_fts (rowid, title, text)
SELECT pk, wortlaut_fold(title), wortlaut_fold(substr(text, 1, 200000)) FROM articles;
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text)
    VALUES (new.pk, wortlaut_fold(new.title), wortlaut_fold(substr(new.text, 1, 200000)));
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    VALUES ('delete', old.pk, wortlaut_fold(old.title), wortlaut_fold(substr(old.text, 1, 200000)));
END;
