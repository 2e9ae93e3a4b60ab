"""The two database backends behind one small interface, so every query in store/core.py is written once.

Queries use `?` placeholders and portable SQL (ON CONFLICT, RETURNING, LIKE ... ESCAPE); a backend only
differs in how it connects, how it runs a transaction, how it reads its migration files and how a
full-text condition is spelled (FTS5 MATCH in SQLite, tsvector @@ tsquery in PostgreSQL).
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

_TERM = re.compile(r'"([^"]*)"?|(\w+)(\*)?')
_WORD = re.compile(r"\w+")
_MIGRATION = re.compile(r"^(\d+)_(\w+)\.(sqlite|postgres)\.sql$")
# The PostgreSQL advisory lock that makes write transactions (and migrations) take turns, as SQLite's
# BEGIN IMMEDIATE does; advisory locks are per database, so stores on one server do not wait for each other.
WRITE_LOCK = 0x776F72746C6175  # "wortlau"


@dataclass(frozen=True)
class Term:
    """A word or a quoted phrase from a search box; `prefix` for a trailing `*` (e.g. `Bundes*`)."""

    words: tuple[str, ...]
    prefix: bool = False


def parse_query(text: str) -> list[Term]:
    """Words and "quoted phrases"; every other character is dropped, so no input is a syntax error.

    Both backends render the same terms, which keeps their results identical.
    """
    terms = []
    for match in _TERM.finditer(text):
        phrase, word, star = match.groups()
        words = tuple(w.lower() for w in _WORD.findall(phrase)) if phrase is not None else (word.lower(),)
        if words:
            terms.append(Term(words, prefix=bool(star)))
    return terms


class Backend:
    """Connection, transactions, migrations and the dialect bits that differ between databases."""

    kind: str
    url: str
    errors: tuple[type[Exception], ...]  # what the driver raises for a statement the database rejects

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run one statement; rows support `row["column"]`."""
        raise NotImplementedError

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All statements inside commit together or not at all (a kill -9 leaves no half-written batch).

        Write transactions take turns, also between processes: a transaction starts once the one before it
        has committed, and sees what it wrote. Every transaction in the store writes (reads run outside)."""
        raise NotImplementedError
        yield

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Inside a transaction: the statements inside are undone alone when they raise (the raise goes on)."""
        raise NotImplementedError
        yield

    def run_script(self, script: str) -> None:
        """Run a migration file (several statements) inside the current transaction."""
        raise NotImplementedError

    def text_condition(self, table: str, terms: list[Term], column: str | None = None) -> tuple[str, list[Any]]:
        """SQL condition on alias `q` (quotations) or `a` (articles) that is true when all terms match."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def migrations(self) -> list[tuple[int, str, str]]:
        """(version, name, sql) of this backend's migration files, in order."""
        found = []
        for entry in resources.files("wortlaut.store").joinpath("migrations").iterdir():
            match = _MIGRATION.match(entry.name)
            if match and match.group(3) == self.kind:
                found.append((int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
        return sorted(found)


class SqliteBackend(Backend):
    """One SQLite file in WAL mode: readers never block the writer, and a crash loses no committed batch."""

    kind = "sqlite"
    errors = (sqlite3.Error,)

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.url = str(self.path)
        self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        self.conn.row_factory = sqlite3.Row
        self.lock = threading.RLock()
        # A 64 MB page cache (default 2 MB) keeps FTS index merges and big-store searches off the disk: 3-4x
        # faster bulk loads at 100k quotations.
        pragmas = (
            "journal_mode=WAL",
            "synchronous=NORMAL",
            "foreign_keys=ON",
            "busy_timeout=30000",
            "cache_size=-65536",
        )
        for pragma in pragmas:
            self.conn.execute(f"PRAGMA {pragma}")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self.lock:
            return self.conn.execute(sql, params).fetchall()

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.lock:
            self.conn.executemany(sql, rows)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        with self.lock:
            self.conn.execute("SAVEPOINT piece")
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK TO piece")
                self.conn.execute("RELEASE piece")
                raise
            self.conn.execute("RELEASE piece")

    def run_script(self, script: str) -> None:
        statement = ""
        for line in script.splitlines(keepends=True):
            statement += line
            if sqlite3.complete_statement(statement):
                self.conn.execute(statement)
                statement = ""

    def text_condition(self, table: str, terms: list[Term], column: str | None = None) -> tuple[str, list[Any]]:
        expression = " ".join('"' + " ".join(t.words) + '"' + ("*" if t.prefix else "") for t in terms)
        if column:
            expression = f"{{{column}}} : ({expression})"
        alias = "q" if table == "quotations" else "a"
        return f"{alias}.pk IN (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?)", [expression]

    def close(self) -> None:
        self.conn.close()


class PostgresBackend(Backend):
    """PostgreSQL through psycopg 3, same tables; full text through generated tsvector columns."""

    kind = "postgres"

    def __init__(self, url: str) -> None:
        import psycopg
        from psycopg.rows import dict_row

        self.url = url
        self.errors = (psycopg.Error,)
        self.conn = psycopg.connect(url, autocommit=True, row_factory=dict_row)
        self.lock = threading.RLock()

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self.lock:
            cursor = self.conn.execute(self._sql(sql), params)
            return cursor.fetchall() if cursor.description else []

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.lock, self.conn.cursor() as cursor:
            cursor.executemany(self._sql(sql), rows)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.lock, self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])  # held until commit or rollback
            yield

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        with self.lock, self.conn.transaction():  # nested in a transaction, psycopg makes it a savepoint
            yield

    def run_script(self, script: str) -> None:
        self.conn.execute(script.encode("utf-8"))

    def text_condition(self, table: str, terms: list[Term], column: str | None = None) -> tuple[str, list[Any]]:
        parts = []
        for term in terms:
            lexemes = [w + (":*" if term.prefix and i == len(term.words) - 1 else "") for i, w in enumerate(term.words)]
            parts.append("(" + " <-> ".join(lexemes) + ")")
        alias = "q" if table == "quotations" else "a"
        vector = "speaker_tsv" if column == "speaker_text" else "tsv"
        return f"{alias}.{vector} @@ to_tsquery('simple', ?)", [" & ".join(parts)]

    def close(self) -> None:
        self.conn.close()


def connect(url: str) -> Backend:
    """`postgresql://…` (or `postgres://…`) opens PostgreSQL; anything else is a SQLite file path."""
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresBackend(url)
    return SqliteBackend(url.removeprefix("sqlite:///"))


def migrate(backend: Backend) -> int:
    """Apply the migrations this database has not seen yet, each in its own transaction; returns the version.

    Transactions take turns (Backend.transaction), so processes opening a fresh store at once migrate it once."""
    with backend.transaction():
        backend.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
            "applied_at TEXT NOT NULL)"
        )
    version = 0
    for number, name, script in backend.migrations():
        with backend.transaction():
            if backend.execute("SELECT 1 FROM schema_migrations WHERE version = ?", [number]):
                version = number
                continue
            backend.run_script(script)
            backend.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, CURRENT_TIMESTAMP)",
                [number, name],
            )
            version = number
    return version
