"""The write side of the Store: analysed articles in, speakers merged into the catalogue, manual corrections.

Writers take turns (SQLite's BEGIN IMMEDIATE, a PostgreSQL advisory lock; see backends.py), and each write
transaction first picks up the speakers other writers added since, so ingest processes sharing one store merge
speakers as one process storing the same articles in that interleaved order would. Speaker and alias inserts
are upserts and descriptors are added to what is stored, so no writer's speaker is lost or fails another's.
Within a batch each article has its own savepoint, so one the database rejects fails alone and the others
are stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from ..document import PARTS, Document, Entity, Quotation, content_id
from ..resolve import normalize_alias
from ..review import Reviewed, apply_corrections
from .backends import Backend
from .catalogue import Catalogue, Placement
from .records import AddSummary, Outcome
from .review_log import ReviewLog
from .reviews import machine_json

_TEXT_FIELDS = ("id", "url", "title", "date", "source", "author")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def field_problem(doc: Document) -> str | None:
    """Why the store cannot keep this Document as given (a field that is not text, or a NUL character, which
    PostgreSQL refuses and SQLite would keep), or None; both backends then treat the article alike."""
    for name in ("text", *_TEXT_FIELDS):
        value = getattr(doc, name)
        if value is None and name != "text":
            continue
        if not isinstance(value, str):
            return f"{name} is a {type(value).__name__} ({str(value)[:60]}), not text"
        if "\x00" in value:
            return f"{name} contains a NUL character"
    return None


class Writes:
    """The Store's write methods (see wortlaut.store.core for the whole API)."""

    db: Backend
    _catalogue: Catalogue | None

    def stored_as(self, doc: Document) -> str | None:
        """Id of the stored article this Document duplicates: same URL, or (without a URL) the same text."""
        problem = field_problem(doc)
        if problem:
            raise ValueError(problem)
        if doc.url:
            rows = self.db.execute("SELECT id FROM articles WHERE url = ?", [doc.url])
        else:
            rows = self.db.execute("SELECT id FROM articles WHERE content_hash = ? LIMIT 1", [content_id(doc.text)])
        return rows[0]["id"] if rows else None

    def catalogue(self) -> Catalogue:
        """The speaker catalogue, loaded once per Store and kept current as documents are added."""
        if self._catalogue is None:
            entities = {
                r["id"]: Entity(r["id"], r["name"], r["kind"], json.loads(r["descriptors"]), [])
                for r in self.db.execute("SELECT id, name, kind, descriptors FROM entities")
            }
            manual = {}
            for r in self.db.execute("SELECT alias, entity_id, manual FROM aliases ORDER BY alias"):
                entities[r["entity_id"]].aliases.append(r["alias"])
                if r["manual"]:
                    manual[r["alias"]] = r["entity_id"]
            self._catalogue = Catalogue(entities.values(), manual)
        return self._catalogue

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A write transaction whose catalogue is current: loaded again when another writer changed the
        speakers since, and dropped when the transaction fails (what it placed in memory was rolled back)."""
        try:
            with self.db.transaction():
                if self._catalogue is not None and self._catalogue.size() != self._table_sizes():
                    self._catalogue = None
                yield
        except BaseException:
            self._catalogue = None
            raise

    def _table_sizes(self) -> tuple[int, int]:
        row = self.db.execute(
            "SELECT (SELECT count(*) FROM entities) AS entities, (SELECT count(*) FROM aliases) AS aliases"
        )[0]
        return int(row["entities"]), int(row["aliases"])

    def add_documents(self, docs: Iterable[Document], *, model: str | None = None, batch_size: int = 50) -> AddSummary:
        """Store already-analysed Documents (no re-analysis), `batch_size` per transaction.

        Duplicates (same URL, else same text) are skipped; an id already used by another article fails
        that one document with a message. Used by `wortlaut ingest` and to load the Spark job's output.
        """
        summary = AddSummary()
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                summary.count(self.add_batch(batch, model=model))
                batch = []
        if batch:
            summary.count(self.add_batch(batch, model=model))
        return summary

    def add_batch(
        self, docs: Sequence[Document], *, model: str | None = None, lang: str | None = "de"
    ) -> list[Outcome]:
        """Store a batch of analysed Documents in one transaction, each in its own savepoint: an article that
        cannot be stored fails alone, with the reason, and the others are committed together."""
        with self._writing():
            return [self._add_alone(doc, model, lang) for doc in docs]

    def _add_alone(self, doc: Document, model: str | None, lang: str | None) -> Outcome:
        try:
            with self.db.savepoint():
                return self._add_one(doc, model, lang)
        except Exception as err:  # whatever one article trips over (its data, a bug), the batch goes on
            self._catalogue = None  # its speakers were placed in memory, then rolled back
            reason = str(err).splitlines()[0] if str(err).strip() else type(err).__name__
            return Outcome(doc.id, "failed", f"not stored: {reason}")

    def _add_one(self, doc: Document, model: str | None, lang: str | None) -> Outcome:
        problem = field_problem(doc)
        if problem:
            return Outcome(doc.id, "failed", f"not stored: {problem}")
        existing = self.stored_as(doc)
        if existing is not None:
            return Outcome(doc.id, "duplicate", f"already stored as {existing}", existing)
        doc_id = doc.id or content_id(doc.text)
        if self.db.execute("SELECT 1 FROM articles WHERE id = ?", [doc_id]):
            return Outcome(doc_id, "failed", f"duplicate id {doc_id!r}: another article with a different text has it")
        self.db.execute(
            "INSERT INTO articles (id, url, content_hash, title, date, source, author, text, lang, analysed_at, model) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                doc_id,
                doc.url,
                content_id(doc.text),
                doc.title,
                doc.date,
                doc.source,
                doc.author,
                doc.text,
                lang,
                now(),
                model,
            ],
        )
        self._write_quotations(doc_id, doc)
        return Outcome(doc_id, "stored", stored_as=doc_id)

    def _write_quotations(self, article_id: str, machine: Document) -> Reviewed:
        """An article's quotation rows: what the model found (kept as it is, for later) with the article's
        corrections applied, speakers merged into the catalogue; replaces the rows it had."""
        self.db.execute("UPDATE articles SET machine = ? WHERE id = ?", [machine_json(machine), article_id])
        self.db.execute(
            "DELETE FROM spans WHERE quotation_pk IN (SELECT pk FROM quotations WHERE article_id = ?)", [article_id]
        )
        self.db.execute("DELETE FROM quotations WHERE article_id = ?", [article_id])
        reviewed = apply_corrections(machine, ReviewLog(self.db).corrections(article_id))
        entity_ids = self._place_speakers(machine)
        pins = self.catalogue().pins
        date = machine.date or ""
        spans: list[tuple[Any, ...]] = []
        for q in reviewed.doc.quotations:
            entity = entity_ids.get(q.speaker_entity.id) if q.speaker_entity else None
            if q.speaker_text and pins:
                entity = pins.get(normalize_alias(q.speaker_text), entity)
            entity = self._chosen_speaker(reviewed, q, entity)
            pk = self.db.execute(
                "INSERT INTO quotations (article_id, qid, type, medium, confidence, nested_in, quote_text, "
                "speaker_text, entity_id, start_char, end_char, article_date, anchor, review_state) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING pk",
                [
                    article_id,
                    q.id,
                    q.type,
                    q.medium,
                    q.confidence,
                    q.nested_in,
                    q.quote_text,
                    q.speaker_text,
                    entity,
                    q.start,
                    q.end,
                    date,
                    str(reviewed.anchors[q.id]),
                    reviewed.states[q.id],
                ],
            )[0]["pk"]
            spans += [(pk, part, s.start, s.end, s.text) for part in PARTS for s in q.part(part)]
        if spans:
            self.db.executemany(
                "INSERT INTO spans (quotation_pk, part, start_char, end_char, text) VALUES (?, ?, ?, ?, ?)", spans
            )
        return reviewed

    def _chosen_speaker(self, reviewed: Reviewed, quotation: Quotation, placed: str | None) -> str | None:
        """The speaker a reviewer chose for the quotation, else the placed one; a chosen speaker merged into
        another since is found under its name, a manual alias of the speaker it was merged into."""
        chosen = reviewed.entity_ids.get(quotation.id)
        if chosen is None or quotation.speaker_entity is None:
            return placed
        catalogue = self.catalogue()
        if chosen in catalogue.by_id:
            return chosen
        return catalogue.manual.get(normalize_alias(quotation.speaker_entity.name), placed)

    def _place_speakers(self, doc: Document) -> dict[str, str]:
        """Merge each of the article's speakers into the catalogue; returns article entity id → catalogue id."""
        local = {e.id: e for e in doc.entities}
        for q in doc.quotations:
            if q.speaker_entity is not None:
                local.setdefault(q.speaker_entity.id, q.speaker_entity)
        if not local:
            return {}
        catalogue = self.catalogue()
        mapping = {}
        for mention in local.values():
            placed = catalogue.place(mention)
            self._write_placement(placed)
            mapping[mention.id] = placed.entity.id
        return mapping

    def _write_placement(self, placed: Placement) -> None:
        """Write what placing a speaker changed; upserts, so a speaker another writer just added is no error."""
        entity = placed.entity
        if placed.created:
            self.db.execute(
                "INSERT INTO entities (id, name, kind, descriptors) VALUES (?, ?, ?, '[]') ON CONFLICT (id) DO NOTHING",
                [entity.id, entity.name, entity.kind],
            )
        if placed.descriptors:
            stored = json.loads(
                self.db.execute("SELECT descriptors FROM entities WHERE id = ?", [entity.id])[0]["descriptors"]
            )
            entity.descriptors[:] = stored + [d for d in entity.descriptors if d not in stored]
            self.db.execute(
                "UPDATE entities SET descriptors = ? WHERE id = ?",
                [json.dumps(entity.descriptors, ensure_ascii=False), entity.id],
            )
        if placed.aliases:
            self.db.executemany(
                "INSERT INTO aliases (alias, entity_id, manual) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [(alias, entity.id, False) for alias in placed.aliases],
            )

    def replace_analysis(self, docs: Sequence[Document], *, model: str | None = None) -> None:
        """Swap the quotations of stored articles for a new analysis, one transaction for the batch (--reanalyze).

        Manual aliases are untouched, so merges and splits made by hand still apply to the new speakers, and
        reviewers' corrections are applied to the new analysis.
        """
        with self._writing():
            for doc in docs:
                self._write_quotations(doc.id or "", doc)
                self.db.execute("UPDATE articles SET analysed_at = ?, model = ? WHERE id = ?", [now(), model, doc.id])

    def prune_entities(self) -> int:
        """Drop catalogue entities no quotation and no manual alias points to any more; returns how many."""
        with self._writing():
            orphans = self.db.execute(
                "SELECT id FROM entities "
                "WHERE id NOT IN (SELECT entity_id FROM quotations WHERE entity_id IS NOT NULL) "
                "AND id NOT IN (SELECT entity_id FROM aliases WHERE manual)"
            )
            self.db.executemany("DELETE FROM entities WHERE id = ?", [(r["id"],) for r in orphans])
        self._catalogue = None
        return len(orphans)
