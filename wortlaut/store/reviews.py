"""The review side of the Store: reviewer accounts, corrections and what they make of the machine's output.

An article's quotations as the model found them are kept (`articles.machine`, JSON); the quotation rows
everybody reads are that output with the article's corrections applied (`wortlaut.review`), rewritten
after every correction and every re-analysis. So a new model never loses a reviewer's work, and a
correction whose quotation the new analysis no longer has stays in the log as a conflict.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..document import PARTS, Document, Entity, Quotation, Span
from ..review import (
    Anchor,
    Correction,
    Reviewed,
    apply_corrections,
    check_name,
    check_role,
    hash_password,
    verify_password,
)
from .backends import Backend
from .catalogue import Catalogue
from .records import QuotationHit, SearchFilters
from .review_log import Account, ReviewLog, StaleEdit

__all__ = ["Account", "ReviewProgress", "Reviews", "StaleEdit", "machine_document", "machine_json"]

#: A key's failed sign-ins are forgotten this many seconds after its last wait ended (a day).
FORGET_LOGIN_FAILURES = 86_400.0


@dataclass(frozen=True)
class ReviewProgress:
    """For a review queue: how many quotations match, how many are reviewed, how many of those corrected."""

    total: int
    reviewed: int
    corrected: int


def machine_json(doc: Document) -> str:
    """What the model found in an article, kept so corrections can be applied to it again at any time."""
    entities = {e.id: e for e in doc.entities}
    for q in doc.quotations:
        if q.speaker_entity is not None:
            entities.setdefault(q.speaker_entity.id, q.speaker_entity)
    return json.dumps(
        {
            "quotations": [
                {**q.to_json(), "speaker_entity": q.speaker_entity.id if q.speaker_entity else None}
                for q in doc.quotations
            ],
            "entities": [
                {"id": e.id, "name": e.name, "kind": e.kind, "descriptors": e.descriptors, "aliases": e.aliases}
                for e in entities.values()
            ],
        },
        ensure_ascii=False,
    )


def machine_document(doc: Document, stored: str) -> Document:
    """The article `doc` (text and metadata) with the machine's quotations read back from machine_json."""
    data = json.loads(stored)
    entities = {
        e["id"]: Entity(e["id"], e["name"], e["kind"], e["descriptors"], e["aliases"]) for e in data["entities"]
    }
    quotations = []
    for q in data["quotations"]:
        quotation = Quotation(
            id=q["id"],
            type=q["type"],
            medium=q["medium"],
            speaker_entity=entities.get(q["speaker_entity"] or ""),
            nested_in=q["nested_in"],
            confidence=q["confidence"],
        )
        for part in PARTS:
            setattr(quotation, part, [Span(s["start"], s["end"], s["text"]) for s in q[part]])
        quotations.append(quotation)
    machine = Document(text=doc.text, id=doc.id, title=doc.title, date=doc.date, url=doc.url, source=doc.source)
    machine.author, machine.quotations, machine.entities = doc.author, quotations, list(entities.values())
    return machine


class Reviews:
    """The Store's review methods (see wortlaut.store.core for the whole API)."""

    db: Backend
    _catalogue: Catalogue | None

    if TYPE_CHECKING:  # provided by the Store's other parts

        def _writing(self) -> AbstractContextManager[None]: ...
        def article(self, article_id: str) -> Document | None: ...
        def search(
            self,
            filters: SearchFilters | None = None,
            *,
            limit: int = 50,
            offset: int = 0,
            least_confident_first: bool = False,
        ) -> list[QuotationHit]: ...
        def count(self, filters: SearchFilters | None = None) -> int: ...
        def _where(self, filters: SearchFilters) -> tuple[str, list[Any]]: ...
        def _filter_from(self, filters: SearchFilters) -> str: ...
        def _write_quotations(self, article_id: str, machine: Document) -> Reviewed: ...
        def _undo_speaker_change(self, original: Correction, reviewer: str) -> int: ...

    @property
    def review_log(self) -> ReviewLog:
        return ReviewLog(self.db)

    # ---- accounts

    def add_user(self, name: str, role: str, password: str) -> None:
        with self._writing():
            self.review_log.add_user(check_name(name), check_role(role), hash_password(password))

    def users(self) -> list[Account]:
        return self.review_log.users()

    def remove_user(self, name: str) -> None:
        with self._writing():
            self.review_log.remove_user(name)

    def set_password(self, name: str, password: str) -> None:
        with self._writing():
            self.review_log.set_password(name, hash_password(password))

    def user(self, name: str) -> Account | None:
        return self.review_log.user(name)

    def login(self, name: str, password: str) -> Account | None:
        """The account when the password is right, else None (the same slow check either way)."""
        account = self.review_log.user(name)
        if account is None:
            verify_password(password, hash_password("x" * 12))  # as slow as a real check: names don't leak
            return None
        return account if verify_password(password, account.password_hash) else None

    # ---- failed logins: counted in the store, so every server process holds back the same guesser

    def login_wait(self, keys: Iterable[str]) -> float:
        """Seconds until these keys (a user name, a client address) may try to sign in again (0: now)."""
        return max(0.0, self.review_log.locked_until(keys) - time.time())

    def login_failed(self, keys: Iterable[str], lock_for: Callable[[int], float]) -> None:
        """Count a failed sign-in for each key; with n failures a key waits `lock_for(n)` seconds."""
        at = time.time()
        with self._writing():
            self.review_log.forget_login_failures(at - FORGET_LOGIN_FAILURES)
            for key in keys:
                self.review_log.count_login_failure(key, at, lock_for)

    def login_succeeded(self, keys: Iterable[str]) -> None:
        with self._writing():
            self.review_log.clear_login_failures(keys)

    # ---- corrections of quotations

    def correct(
        self,
        article_id: str,
        anchor: str,
        action: str,
        after: Mapping[str, Any] | None = None,
        *,
        reviewer: str,
        expected_version: int | None = None,
    ) -> int:
        """Log one correction of the quotation at `anchor` ("START-END", as QuotationHit.anchor gives it) and
        show it everywhere; refused when another reviewer changed the quotation since `expected_version`."""
        self.review_log.require_user(reviewer)
        correction = Correction(article_id, Anchor.parse(anchor), action, dict(after or {}), reviewer=reviewer)
        with self._writing():
            machine = self.machine(article_id)
            log = self.review_log.corrections(article_id)
            current = apply_corrections(machine, log)
            correction.before = state_of(current, correction.anchor)
            if action != "add" and not correction.before:
                raise KeyError(f"{article_id}: no quotation at {anchor}")
            trial = apply_corrections(machine, [*log, correction])  # refuses a correction it cannot make
            if correction in trial.conflicts:
                raise KeyError(f"{article_id}: no quotation at {anchor}")
            number = self.review_log.append(correction, expected_version)
            self._write_quotations(article_id, machine)
        return number

    def undo(self, correction_id: int, *, reviewer: str) -> int:
        """Take back one correction (itself logged, and itself undoable)."""
        original = self.review_log.correction(correction_id)
        if original is None:
            raise KeyError(f"no correction {correction_id}")
        if original.article_id == "":
            return self._undo_speaker_change(original, reviewer)
        return self.correct(
            original.article_id, str(original.anchor), "undo", {"correction": correction_id}, reviewer=reviewer
        )

    def machine(self, article_id: str) -> Document:
        """What the model found in the article; for an article stored before reviews existed, its rows."""
        doc = self.article(article_id)
        if doc is None:
            raise KeyError(f"no article {article_id!r}")
        stored = self.db.execute("SELECT machine FROM articles WHERE id = ?", [article_id])[0]["machine"]
        return machine_document(doc, stored) if stored else doc

    def version(self, article_id: str, anchor: str) -> int:
        """The version an edit of this quotation builds on (send it back with the edit)."""
        return self.review_log.version(article_id, Anchor.parse(anchor).target)

    def history(self, article_id: str | None = None) -> list[Correction]:
        return self.review_log.corrections(article_id)

    def conflicts(self, article_id: str | None = None) -> list[Correction]:
        """Corrections whose quotation the current analysis no longer has: kept, to be resolved by hand."""
        articles = [article_id] if article_id else self.review_log.reviewed_articles()
        found = []
        for article in articles:
            if article:
                found += apply_corrections(self.machine(article), self.review_log.corrections(article)).conflicts
        return found

    def fully_reviewed(self) -> list[str]:
        """Articles a reviewer has corrected and whose every quotation is now reviewed: training material."""
        rows = self.db.execute(
            "SELECT DISTINCT article_id FROM corrections WHERE article_id <> '' AND article_id NOT IN "
            "(SELECT article_id FROM quotations WHERE review_state = 'unreviewed') ORDER BY article_id"
        )
        return [str(row["article_id"]) for row in rows]

    def review_queue(
        self, filters: SearchFilters | None = None, *, limit: int = 50, offset: int = 0
    ) -> list[QuotationHit]:
        """Unreviewed quotations, least confident first: where a reviewer's time helps most."""
        filters = filters or SearchFilters()
        queue = SearchFilters(**{**filters.__dict__, "reviewed": False})
        return self.search(queue, limit=limit, offset=offset, least_confident_first=True)

    def review_progress(self, filters: SearchFilters | None = None) -> ReviewProgress:
        """ "312 of 4,870 reviewed; 41 corrected" for the quotations the filters select."""
        filters = filters or SearchFilters()
        where, params = self._where(filters)
        rows = self.db.execute(
            "SELECT count(*) AS total, "
            "coalesce(sum(CASE WHEN q.review_state <> 'unreviewed' THEN 1 ELSE 0 END), 0) AS reviewed, "
            "coalesce(sum(CASE WHEN q.review_state = 'corrected' THEN 1 ELSE 0 END), 0) AS corrected "
            f"FROM {self._filter_from(filters)} {where}",
            params,
        )
        return ReviewProgress(int(rows[0]["total"]), int(rows[0]["reviewed"]), int(rows[0]["corrected"]))


def state_of(reviewed: Reviewed, anchor: Anchor) -> dict[str, Any]:
    """A quotation as a correction's `before` records it ({} when there is none at the anchor)."""
    for quotation in reviewed.doc.quotations + reviewed.rejected:
        if reviewed.anchors[quotation.id] == anchor:
            entity = quotation.speaker_entity
            return {
                "state": reviewed.states[quotation.id],
                "type": quotation.type,
                "medium": quotation.medium,
                **{part: [[s.start, s.end] for s in quotation.part(part)] for part in PARTS},
                "entity": {"id": entity.id, "name": entity.name, "kind": entity.kind} if entity else None,
            }
    return {}
