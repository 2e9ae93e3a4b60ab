"""The two database backends behind one small interface, so every query in store/core.py is written once.

Queries use `?` placeholders and portable SQL (ON CONFLICT, RETURNING, LIKE ... ESCAPE); a backend only
differs in how it connects, how it runs a transaction, how it reads its migration files and how a
full-text condition is spelled (FTS5 MATCH in SQLite, tsvector @@ tsquery in PostgreSQL).
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from .query import And, Node, Not, Term, fold

_MIGRATION = re.compile(r"^(\d+)_(\w+)\.(sqlite|postgres)\.sql$")
# The PostgreSQL advisory lock that makes write transactions (and migrations) take turns, as SQLite's
# BEGIN IMMEDIATE does; advisory locks are per database, so stores on one server do not wait for each other.
WRITE_LOCK = 0x776F72746C6175  # "wortlau"
#: Every write transaction ends with this (migration 006), so readers in any process see that the store changed.
COUNT_WRITE = "UPDATE store_generation SET n = n + 1"


def _target(table: str, field: str) -> str:
    """Which full-text index a term searches: everything in an article search, else the term's field."""
    return "article" if table == "articles" else field


def _fields(node: Node) -> set[str]:
    if isinstance(node, Term):
        return {node.field}
    if isinstance(node, Not):
        return _fields(node.operand)
    return {field for operand in node.operands for field in _fields(operand)}


class Backend:
    """Connection, transactions, migrations and the dialect bits that differ between databases."""

    kind: str
    url: str
    errors: tuple[type[Exception], ...]  # what the driver raises for a statement the database rejects
    #: Whether write transactions count themselves in store_generation; migrate() turns it on once the table exists.
    counts_writes = False

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run one statement; rows support `row["column"]`."""
        raise NotImplementedError

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All statements inside commit together or not at all (a kill -9 leaves no half-written batch).

        Write transactions take turns, also between processes: a transaction starts once the one before it
        has committed, and sees what it wrote. Every transaction in the store writes (reads run outside), and
        adds 1 to store_generation when it commits."""
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

    def text_condition(self, table: str, query: Node, column: str | None = None) -> tuple[str, list[Any]]:
        """SQL condition on alias `q` (quotations) or `a` (articles) that is true when the query matches.

        A subtree on one index that the dialect can express becomes one full-text lookup; the rest is combined
        with SQL AND / OR / NOT, so every backend answers the same tree with the same rows. `column` narrows a
        quotation search to the speaker mention.
        """
        targets = {_target(table, field) for field in _fields(query)}
        if isinstance(query, Term) or (len(targets) == 1 and self.expressible(query)):
            sql, expression = self.match(table, targets.pop(), column, self.expression(query))
            return sql, [expression]
        if isinstance(query, Not):
            sql, params = self.text_condition(table, query.operand, column)
            return f"NOT ({sql})", params
        joiner = " AND " if isinstance(query, And) else " OR "
        parts = [self.text_condition(table, operand, column) for operand in query.operands]
        return "(" + joiner.join(sql for sql, _ in parts) + ")", [p for _, params in parts for p in params]

    def expressible(self, query: Node) -> bool:
        """Whether the dialect's full-text syntax can say this subtree in one lookup."""
        raise NotImplementedError

    def expression(self, query: Node) -> str:
        """The subtree in the dialect's full-text query syntax (a bound parameter, never SQL text)."""
        raise NotImplementedError

    def match(self, table: str, target: str, column: str | None, expression: str) -> tuple[str, str]:
        """SQL true for rows of `table` whose `target` index matches, and the expression to bind to its `?`."""
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


def _fold_or_null(value: str | None) -> str | None:
    """`fold` for SQL: NULL stays NULL, like PostgreSQL's STRICT `wortlaut_fold`."""
    return None if value is None else fold(value)


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
        pragmas = ("busy_timeout=30000", "synchronous=NORMAL", "foreign_keys=ON", "cache_size=-65536")
        for pragma in pragmas:
            self.conn.execute(f"PRAGMA {pragma}")
        self._use_wal()
        # The FTS triggers (migration 003) index folded text, so this connection must know how to fold.
        self.conn.create_function("wortlaut_fold", 1, _fold_or_null, deterministic=True)

    def _use_wal(self) -> None:
        """Write-ahead logging, so readers never wait for the writer. Switching a new file to it needs the file
        to itself, and SQLite answers "database is locked" at once (no busy wait) while another process opening
        the same fresh store holds it: so try again for as long as the busy timeout."""
        deadline = time.monotonic() + 30
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

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
            if self.counts_writes:
                self.conn.execute(COUNT_WRITE)
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

    def expressible(self, query: Node) -> bool:
        """FTS5 has no stand-alone NOT, so negations are left to SQL."""
        if isinstance(query, Term):
            return True
        return not isinstance(query, Not) and all(self.expressible(operand) for operand in query.operands)

    def expression(self, query: Node) -> str:
        if isinstance(query, Term):
            return '"' + " ".join(query.words) + '"' + (" *" if query.prefix else "")
        if isinstance(query, Not):
            raise ValueError("FTS5 has no stand-alone NOT; text_condition renders it in SQL")
        joiner = " AND " if isinstance(query, And) else " OR "
        return joiner.join(f"({self.expression(operand)})" for operand in query.operands)

    def match(self, table: str, target: str, column: str | None, expression: str) -> tuple[str, str]:
        if column:
            expression = f"{{{column}}} : ({expression})"
        if target == "article":
            lookup = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
            if table == "articles":
                return f"a.pk IN ({lookup})", expression
            return f"q.article_id IN (SELECT fa.id FROM articles fa WHERE fa.pk IN ({lookup}))", expression
        return "q.pk IN (SELECT rowid FROM quotations_fts WHERE quotations_fts MATCH ?)", expression

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
            if self.counts_writes:
                self.conn.execute(COUNT_WRITE)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        with self.lock, self.conn.transaction():  # nested in a transaction, psycopg makes it a savepoint
            yield

    def run_script(self, script: str) -> None:
        self.conn.execute(script.encode("utf-8"))

    def expressible(self, query: Node) -> bool:
        return True

    def expression(self, query: Node) -> str:
        if isinstance(query, Term):
            lexemes = [f"'{word}'" for word in query.words]
            if query.prefix:
                lexemes[-1] += ":*"
            return " <-> ".join(lexemes)
        if isinstance(query, Not):
            return f"!({self.expression(query.operand)})"
        joiner = " & " if isinstance(query, And) else " | "
        return joiner.join(f"({self.expression(operand)})" for operand in query.operands)

    def match(self, table: str, target: str, column: str | None, expression: str) -> tuple[str, str]:
        if target == "article":
            if table == "articles":
                return "a.tsv @@ CAST(? AS tsquery)", expression
            return "q.article_id IN (SELECT fa.id FROM articles fa WHERE fa.tsv @@ CAST(? AS tsquery))", expression
        vector = "speaker_tsv" if column == "speaker_text" else "tsv"
        return f"q.{vector} @@ CAST(? AS tsquery)", expression

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
    backend.counts_writes = True  # the last migrations made store_generation
    return version
