-- Failed logins counted in the store, so every `serve --workers N` process holds back the same guesser:
-- per key (a user name, a client address) how many failures and until when the next attempt waits.
CREATE TABLE login_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    first_failure DOUBLE PRECISION NOT NULL,
    locked_until DOUBLE PRECISION NOT NULL
);
CREATE INDEX login_failures_until ON login_failures (locked_until);

-- Which speakers a speaker change concerns besides the one it names (the merged-away speaker of a merge, the
-- speakers a split took a name from), so it shows in the history of each; appended to with the log, never changed.
CREATE TABLE correction_entities (
    correction_id BIGINT NOT NULL REFERENCES corrections (id),
    entity_id TEXT NOT NULL,
    PRIMARY KEY (entity_id, correction_id)
);
CREATE TRIGGER correction_entities_no_change BEFORE UPDATE OR DELETE ON correction_entities
    FOR EACH ROW EXECUTE FUNCTION corrections_append_only();
