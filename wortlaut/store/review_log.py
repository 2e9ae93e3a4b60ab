"""Reviewer accounts and the append-only correction log in the store (both backends).

The log is only ever appended to (the database refuses UPDATE and DELETE on it), so nothing a reviewer did
is lost; what users see is recomputed from the machine's output and this log (`wortlaut.review`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..review import Anchor, Correction
from .backends import Backend

LOG_COLUMNS = "SELECT id, article_id, target, action, before, after, reviewer, at FROM corrections"


class StaleEdit(RuntimeError):
    """Someone else corrected the same quotation since the reviewer opened it (optimistic locking)."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    password_hash: str
    created_at: str


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ReviewLog:
    """Accounts and corrections over one backend connection; callers own the transactions."""

    def __init__(self, db: Backend) -> None:
        self.db = db

    # ---- accounts

    def add_user(self, name: str, role: str, password_hash: str) -> None:
        if self.user(name) is not None:
            raise KeyError(f"user {name!r} exists already")
        self.db.execute(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
            [name, role, password_hash, now()],
        )

    def user(self, name: str) -> Account | None:
        rows = self.db.execute("SELECT name, role, password_hash, created_at FROM users WHERE name = ?", [name])
        return Account(**dict(rows[0])) if rows else None

    def require_user(self, name: str) -> None:
        """Refuse a correction by someone who has no account: the log must say who made every change."""
        if self.user(name) is None:
            raise KeyError(f"no user {name!r} (add one with `wortlaut users add`)")

    def users(self) -> list[Account]:
        rows = self.db.execute("SELECT name, role, password_hash, created_at FROM users ORDER BY name")
        return [Account(**dict(row)) for row in rows]

    def remove_user(self, name: str) -> None:
        if self.user(name) is None:
            raise KeyError(f"no user {name!r}")
        self.db.execute("DELETE FROM users WHERE name = ?", [name])

    def set_password(self, name: str, password_hash: str) -> None:
        if self.user(name) is None:
            raise KeyError(f"no user {name!r}")
        self.db.execute("UPDATE users SET password_hash = ? WHERE name = ?", [password_hash, name])

    # ---- failed logins (shared by every server process)

    def locked_until(self, keys: Iterable[str]) -> float:
        """Until when (seconds since the epoch) the most held-back of these keys must wait; 0 when none is."""
        keys = sorted(set(keys))
        marks = ", ".join("?" * len(keys))
        rows = self.db.execute(f"SELECT max(locked_until) AS until FROM login_failures WHERE key IN ({marks})", keys)
        return float(rows[0]["until"] or 0.0)

    def count_login_failure(self, key: str, at: float, lock_for: Callable[[int], float]) -> None:
        """One more failure for `key` at `at`; it may try again `lock_for(failures so far)` seconds later."""
        rows = self.db.execute("SELECT failures, first_failure FROM login_failures WHERE key = ?", [key])
        failures, first = (int(rows[0]["failures"]) + 1, float(rows[0]["first_failure"])) if rows else (1, at)
        self.db.execute(
            "INSERT INTO login_failures (key, failures, first_failure, locked_until) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until",
            [key, failures, first, at + lock_for(failures)],
        )

    def clear_login_failures(self, keys: Iterable[str]) -> None:
        for key in keys:
            self.db.execute("DELETE FROM login_failures WHERE key = ?", [key])

    def forget_login_failures(self, before: float) -> None:
        """Drop the keys whose wait ended before `before`, so guessing cannot fill the table."""
        self.db.execute("DELETE FROM login_failures WHERE locked_until < ?", [before])

    # ---- corrections

    def version(self, article_id: str, target: str) -> int:
        """How many corrections name this quotation (or entity): the version a reviewer's edit builds on."""
        rows = self.db.execute(
            "SELECT COUNT(*) AS n FROM corrections WHERE article_id = ? AND target = ?", [article_id, target]
        )
        return int(rows[0]["n"])

    def append(self, correction: Correction, expected_version: int | None = None) -> int:
        """Add one correction; with `expected_version`, refuse it when another reviewer got there first."""
        target = correction.anchor.target
        if expected_version is not None and self.version(correction.article_id, target) != expected_version:
            raise StaleEdit(
                "this quotation was changed by someone else since you opened it; reload to see their change"
            )
        rows = self.db.execute(
            "INSERT INTO corrections (article_id, target, action, before, after, reviewer, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [
                correction.article_id,
                target,
                correction.action,
                json.dumps(correction.before, ensure_ascii=False, sort_keys=True),
                json.dumps(correction.after, ensure_ascii=False, sort_keys=True),
                correction.reviewer,
                correction.at or now(),
            ],
        )
        return int(rows[0]["id"])

    def corrections(self, article_id: str | None = None, target: str | None = None) -> list[Correction]:
        """The log in order: all of it, one article's (speaker changes have the article ''), or one target's."""
        conditions, params = [], []
        for column, value in (("article_id", article_id), ("target", target)):
            if value is not None:
                conditions.append(f"{column} = ?")
                params.append(value)
        where = " WHERE " + " AND ".join(conditions) if conditions else ""
        return [as_correction(row) for row in self.db.execute(f"{LOG_COLUMNS}{where} ORDER BY id", params)]

    def correction(self, number: int) -> Correction | None:
        rows = self.db.execute(f"{LOG_COLUMNS} WHERE id = ?", [number])
        return as_correction(rows[0]) if rows else None

    def append_entity_change(self, change: Correction, also: Iterable[str] = ()) -> int:
        """A change to a speaker entity: logged with no article, named by the entity (`after["entity"]`); `also`
        names the other speakers it concerns (a merge's merged-away one, those a split took a name from)."""
        rows = self.db.execute(
            "INSERT INTO corrections (article_id, target, action, before, after, reviewer, at) "
            "VALUES ('', ?, ?, ?, ?, ?, ?) RETURNING id",
            [
                f"e:{change.after['entity']}",
                change.action,
                json.dumps(change.before, ensure_ascii=False, sort_keys=True),
                json.dumps(change.after, ensure_ascii=False, sort_keys=True),
                change.reviewer,
                change.at or now(),
            ],
        )
        number = int(rows[0]["id"])
        for entity_id in sorted(set(also) - {change.after["entity"]}):
            self.db.execute(
                "INSERT INTO correction_entities (correction_id, entity_id) VALUES (?, ?)", [number, entity_id]
            )
        return number

    def entity_changes(self, entity_ids: Iterable[str], since: int = 0) -> list[Correction]:
        """The changes concerning any of these speakers (named by them or concerning them), after number `since`."""
        ids = sorted(set(entity_ids))
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        rows = self.db.execute(
            f"{LOG_COLUMNS} WHERE article_id = '' AND id > ? AND (target IN ({marks}) "
            f"OR id IN (SELECT correction_id FROM correction_entities WHERE entity_id IN ({marks}))) ORDER BY id",
            [since, *[f"e:{i}" for i in ids], *ids],
        )
        return [as_correction(row) for row in rows]

    def reviewed_articles(self) -> list[str]:
        rows = self.db.execute("SELECT DISTINCT article_id FROM corrections WHERE article_id <> '' ORDER BY article_id")
        return [str(row["article_id"]) for row in rows]


def as_correction(row: Any) -> Correction:
    target = str(row["target"])
    return Correction(
        article_id=str(row["article_id"]),
        anchor=Anchor.parse(target.removeprefix("q:")) if target.startswith("q:") else Anchor(0, 0),
        action=str(row["action"]),
        before=json.loads(row["before"]),
        after=json.loads(row["after"]),
        reviewer=str(row["reviewer"]),
        at=str(row["at"]),
        id=int(row["id"]),
    )
