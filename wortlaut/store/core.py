"""The Store: analysed articles, quotations, spans and speakers in SQLite or PostgreSQL, and the queries over them.

Every query is written once here; `backends.py` supplies the connection and the full-text dialect. All
values go in as parameters, so nothing from an article or a search box can ever run as SQL.

Read API (used by the CLI, the web app and notebooks):
    store.search(SearchFilters(query="Klima", type="Direct"), limit=20)  -> list[QuotationHit]
    store.count(filters)                                                 -> int
    store.iter_quotations(filters)                                       -> every hit, streamed (export)
    store.articles(query=..., source=..., date_from=..., date_to=...)    -> list[ArticleSummary]
    store.article(article_id)                                            -> Document with quotations | None
    store.entities(query=...), store.entity(entity_id)                   -> EntitySummary
    store.stats()                                                        -> StoreStats
Write API:
    store.add_documents(docs)      analysed Documents in, one transaction per batch
    store.merge_entities(a, b), store.split_alias(alias)   manual speaker corrections (survive --reanalyze)
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..document import PARTS, Document, Entity, Quotation, Span, content_id
from ..resolve import canonical_entity, normalize_alias, slug
from .backends import Backend
from .query import all_words, parse_query

_LIKE_SPECIALS = re.compile(r"([\\%_])")


@dataclass
class SearchFilters:
    """What `wortlaut search`, `wortlaut export` and the web app filter quotations by; None means any.

    query: words or "quoted phrases" in the quote or speaker mention (a trailing * matches a prefix).
    speaker: a name, matched against the speaker mention and the resolved entity's name and aliases.
    entity: an entity id exactly. type / medium: a quotation type or medium exactly.
    date_from / date_to: inclusive ISO dates (YYYY-MM-DD) of the article. source: the article's source exactly.
    article: an article id exactly.
    """

    query: str | None = None
    speaker: str | None = None
    entity: str | None = None
    type: str | None = None
    medium: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    source: str | None = None
    article: str | None = None


@dataclass
class QuotationHit:
    """One stored quotation with what a result list shows of its article and speaker.

    `parts` (quote, speaker, cue, frame, addressee spans) is filled by `iter_quotations(with_parts=True)`
    and `quotation()`; `search()` leaves it empty to stay fast.
    """

    pk: int
    article_id: str
    qid: str
    type: str
    medium: str | None
    confidence: float | None
    nested_in: str | None
    quote: str
    speaker: str
    entity_id: str | None
    entity_name: str | None
    start: int
    end: int
    date: str | None
    title: str | None
    source: str | None
    url: str | None
    parts: dict[str, list[Span]] = field(default_factory=dict)

    def to_row(self) -> dict[str, Any]:
        """Flat, export-friendly dict (parts become their texts joined by ' … ')."""
        row = {
            "article_id": self.article_id,
            "quotation_id": self.qid,
            "date": self.date,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "type": self.type,
            "medium": self.medium,
            "confidence": self.confidence,
            "nested_in": self.nested_in,
            "speaker": self.speaker,
            "entity_id": self.entity_id,
            "entity_name": self.entity_name,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
        }
        for part in ("cue", "frame", "addressee"):
            row[part] = " … ".join(s.text for s in self.parts.get(part, []))
        return row


@dataclass
class ArticleSummary:
    """An article as a list shows it (no text)."""

    id: str
    title: str | None
    date: str | None
    source: str | None
    url: str | None
    author: str | None
    lang: str | None
    model: str | None
    analysed_at: str | None
    quotation_count: int


@dataclass
class EntitySummary:
    """A catalogue speaker with everything the speakers page shows."""

    id: str
    name: str
    kind: str
    descriptors: list[str]
    aliases: list[str]
    manual_aliases: list[str]
    quotation_count: int


@dataclass
class StoreStats:
    articles: int
    quotations: int
    entities: int
    sources: list[tuple[str, int]]
    types: list[tuple[str, int]]
    schema_version: int


# ---- aggregates for the web pages (speaker profile, network); added by the web helper ------------------------


@dataclass
class EntityProfile:
    """What a speaker page charts: counts by type, medium, addressee words and article date."""

    types: list[tuple[str, int]]
    media: list[tuple[str, int]]
    addressees: list[tuple[str, int]]
    dates: list[tuple[str, int]]


@dataclass(frozen=True)
class GraphNode:
    """A network node: kind 'entity' (id = entity id), 'source' (id = source name) or 'addressee' (id = words)."""

    kind: str
    id: str
    label: str


@dataclass
class NetworkEdge:
    """kind 'quotes' (speaker of the outer quotation → nested speaker), 'addresses' or 'reports' (source → speaker)."""

    kind: str
    source: GraphNode
    target: GraphNode
    weight: int


@dataclass
class Outcome:
    """What happened to one Document in `add_batch`: 'stored', 'duplicate' or 'failed', and why."""

    doc_id: str | None
    status: str
    message: str = ""
    stored_as: str | None = None  # the article id in the store (for 'stored' and 'duplicate')


@dataclass
class AddSummary:
    stored: int = 0
    duplicate: int = 0
    failed: list[Outcome] = field(default_factory=list)

    def count(self, outcomes: Iterable[Outcome]) -> None:
        for outcome in outcomes:
            if outcome.status == "stored":
                self.stored += 1
            elif outcome.status == "duplicate":
                self.duplicate += 1
            else:
                self.failed.append(outcome)


def like_pattern(text: str) -> str:
    """`%text%` with LIKE's own wildcards escaped, so '50%' finds '50%' and not everything."""
    return "%" + _LIKE_SPECIALS.sub(r"\\\1", text.casefold()) + "%"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_HIT_COLUMNS = """
    q.pk, q.article_id, q.qid, q.type, q.medium, q.confidence, q.nested_in, q.quote_text, q.speaker_text,
    q.entity_id, e.name AS entity_name, q.start_char, q.end_char, a.date, a.title, a.source, a.url
"""
_HIT_FROM = """
    FROM quotations q JOIN articles a ON a.id = q.article_id LEFT JOIN entities e ON e.id = q.entity_id
"""


def _hit(row: Any) -> QuotationHit:
    return QuotationHit(
        pk=row["pk"],
        article_id=row["article_id"],
        qid=row["qid"],
        type=row["type"],
        medium=row["medium"],
        confidence=row["confidence"],
        nested_in=row["nested_in"],
        quote=row["quote_text"],
        speaker=row["speaker_text"],
        entity_id=row["entity_id"],
        entity_name=row["entity_name"],
        start=row["start_char"],
        end=row["end_char"],
        date=row["date"],
        title=row["title"],
        source=row["source"],
        url=row["url"],
    )


class Catalogue:
    """The store's speaker entities in memory for one ingest run, so resolving a speaker costs no query."""

    def __init__(self, entities: list[Entity], manual: dict[str, str]) -> None:
        self.by_id = {e.id: e for e in entities}
        self.manual = manual
        # Merge candidates, sorted by id so merging never depends on load or insertion order (a resumed run
        # matches a clean one). Anonymous sources never merge, so they stay out: the list grows with the
        # number of distinct named speakers, not with the number of articles.
        self.entities = sorted((e for e in entities if e.kind != "anonymous"), key=lambda e: e.id)
        self._ids = [e.id for e in self.entities]
        # Pins: manual aliases equal to their entity's own name (what `split` makes). A pin claims only the
        # mentions and entities *named* so, not every cluster that merely counts it among its aliases.
        self.pins = {a: e for a, e in manual.items() if e in self.by_id and normalize_alias(self.by_id[e].name) == a}

    def add(self, entity: Entity) -> None:
        self.by_id[entity.id] = entity
        if entity.kind != "anonymous":
            at = bisect.bisect(self._ids, entity.id)
            self._ids.insert(at, entity.id)
            self.entities.insert(at, entity)

    def new_id(self, base: str) -> str:
        """`base` (the resolver's readable id, e.g. 'person:angela-merkel'), or with -2, -3, ... if taken."""
        candidate, n = base, 1
        while candidate in self.by_id:
            n += 1
            candidate = f"{base}-{n}"
        return candidate


class Store:
    """Articles, quotations and speakers in one database; see the module docstring for the API."""

    def __init__(self, backend: Backend, schema_version: int) -> None:
        self.db = backend
        self.schema_version = schema_version
        self._catalogue: Catalogue | None = None

    @property
    def url(self) -> str:
        """Where the data lives: the SQLite file path or the PostgreSQL URL."""
        return self.db.url

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- reading -------------------------------------------------------------------------------------------

    def _where(self, filters: SearchFilters) -> tuple[str, list[Any]]:
        """WHERE clause (on aliases q, a) for the filters; every value is a bound parameter."""
        conditions: list[str] = []
        params: list[Any] = []
        if filters.query:
            sql, values = self.db.text_condition("quotations", parse_query(filters.query))
            conditions.append(sql)
            params += values
        if filters.speaker and filters.speaker.strip():
            speaker_query = all_words(filters.speaker)
            alternatives = [
                "q.entity_id IN (SELECT id FROM entities WHERE kind <> 'anonymous' AND lower(name) LIKE ? ESCAPE '\\')",
                "q.entity_id IN (SELECT entity_id FROM aliases WHERE alias = ?)",
            ]
            params += [like_pattern(filters.speaker.strip()), normalize_alias(filters.speaker)]
            if speaker_query:
                sql, values = self.db.text_condition("quotations", speaker_query, column="speaker_text")
                alternatives.append(sql)
                params += values
            conditions.append("(" + " OR ".join(alternatives) + ")")
        for column, value in (
            ("q.entity_id", filters.entity),
            ("q.type", filters.type),
            ("q.medium", filters.medium),
            ("a.source", filters.source),
            ("q.article_id", filters.article),
        ):
            if value:
                conditions.append(f"{column} = ?")
                params.append(value)
        if filters.date_from:
            conditions.append("q.article_date >= ?")
            params.append(filters.date_from)
        if filters.date_to:
            conditions.append("q.article_date <= ? AND q.article_date <> ''")
            params.append(filters.date_to + "\uffff")
        return (" WHERE " + " AND ".join(conditions)) if conditions else "", params

    def search(
        self, filters: SearchFilters | None = None, *, limit: int = 50, offset: int = 0, **kw: Any
    ) -> list[QuotationHit]:
        """Quotations matching the filters, newest article first (with an article filter: in reading order).
        Keyword args are shorthand for SearchFilters
        fields: `store.search(query="Klima", type="Direct")`.

        Two steps keep it fast on big stores: the page's keys are found and sorted on the quotations table
        alone, then only that page is joined with its articles and speakers."""
        filters = filters or SearchFilters(**kw)
        where, params = self._where(filters)
        # one article's quotations in reading order, all others newest article first
        order = "q.start_char, q.pk" if filters.article else "q.article_date DESC, q.pk DESC"
        rows = self.db.execute(
            f"SELECT q.pk FROM {self._filter_from(filters)} {where} ORDER BY {order} LIMIT ? OFFSET ?",
            params + [int(limit), int(offset)],
        )
        return self._hits([r["pk"] for r in rows])

    @staticmethod
    def _filter_from(filters: SearchFilters) -> str:
        """The tables a filter needs: articles only for the source filter (dates are kept on quotations)."""
        return "quotations q JOIN articles a ON a.id = q.article_id" if filters.source else "quotations q"

    def _hits(self, pks: list[int]) -> list[QuotationHit]:
        """Full hits for these quotation keys, in the order given."""
        by_pk: dict[int, QuotationHit] = {}
        for first in range(0, len(pks), 1000):  # stay far below the databases' limits on bound parameters
            chunk = pks[first : first + 1000]
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(f"SELECT {_HIT_COLUMNS} {_HIT_FROM} WHERE q.pk IN ({marks})", chunk):
                by_pk[r["pk"]] = _hit(r)
        return [by_pk[pk] for pk in pks if pk in by_pk]

    def count(self, filters: SearchFilters | None = None, **kw: Any) -> int:
        """How many quotations match (for a result count and paging)."""
        filters = filters or SearchFilters(**kw)
        where, params = self._where(filters)
        return self.db.execute(f"SELECT count(*) AS n FROM {self._filter_from(filters)} {where}", params)[0]["n"]

    def iter_quotations(
        self, filters: SearchFilters | None = None, *, with_parts: bool = True, page: int = 1000
    ) -> Iterator[QuotationHit]:
        """Every matching quotation in storage order, fetched a page at a time (memory stays flat for exports)."""
        filters = filters or SearchFilters()
        where, params = self._where(filters)
        joiner = " AND " if where else " WHERE "
        last = -1
        while True:
            rows = self.db.execute(
                f"SELECT {_HIT_COLUMNS} {_HIT_FROM} {where}{joiner}q.pk > ? ORDER BY q.pk LIMIT ?",
                params + [last, page],
            )
            if not rows:
                return
            hits = [_hit(r) for r in rows]
            if with_parts:
                self._attach_parts(hits)
            yield from hits
            last = hits[-1].pk

    def quotation(self, article_id: str, qid: str) -> QuotationHit | None:
        """One quotation with its parts, by article id and quotation id."""
        rows = self.db.execute(
            f"SELECT {_HIT_COLUMNS} {_HIT_FROM} WHERE q.article_id = ? AND q.qid = ?", [article_id, qid]
        )
        if not rows:
            return None
        hits = [_hit(rows[0])]
        self._attach_parts(hits)
        return hits[0]

    def _spans(self, pks: Sequence[int]) -> dict[int, dict[str, list[Span]]]:
        by_pk: dict[int, dict[str, list[Span]]] = {pk: {} for pk in pks}
        for chunk in range(0, len(pks), 500):
            ids = list(pks[chunk : chunk + 500])
            marks = ",".join("?" * len(ids))
            rows = self.db.execute(
                f"SELECT quotation_pk, part, start_char, end_char, text FROM spans WHERE quotation_pk IN ({marks}) "
                "ORDER BY quotation_pk, part, start_char",
                ids,
            )
            for r in rows:
                by_pk[r["quotation_pk"]].setdefault(r["part"], []).append(
                    Span(r["start_char"], r["end_char"], r["text"])
                )
        return by_pk

    def _attach_parts(self, hits: list[QuotationHit]) -> None:
        spans = self._spans([h.pk for h in hits])
        for hit in hits:
            hit.parts = spans[hit.pk]

    def articles(
        self,
        query: str | None = None,
        *,
        source: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[ArticleSummary]:
        """Articles (newest first), optionally whose title or text contains all the query's words."""
        conditions, params = [], []
        if query:
            sql, values = self.db.text_condition("articles", parse_query(query))
            conditions.append(sql)
            params += values
        if source:
            conditions.append("a.source = ?")
            params.append(source)
        if date_from:
            conditions.append("a.date >= ?")
            params.append(date_from)
        if date_to:
            conditions.append("a.date <= ?")
            params.append(date_to + "\uffff")
        where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
        rows = self.db.execute(
            "SELECT a.id, a.title, a.date, a.source, a.url, a.author, a.lang, a.model, a.analysed_at, "
            "(SELECT count(*) FROM quotations q WHERE q.article_id = a.id) AS n "
            f"FROM articles a {where} ORDER BY a.date DESC, a.pk DESC LIMIT ? OFFSET ?",
            params + [int(limit), int(offset)],
        )
        return [
            ArticleSummary(
                r["id"],
                r["title"],
                r["date"],
                r["source"],
                r["url"],
                r["author"],
                r["lang"],
                r["model"],
                r["analysed_at"],
                r["n"],
            )
            for r in rows
        ]

    def article(self, article_id: str) -> Document | None:
        """The stored article as a Document: text, metadata, quotations with all parts and resolved speakers."""
        rows = self.db.execute(
            "SELECT id, title, date, url, source, author, text FROM articles WHERE id = ?", [article_id]
        )
        if not rows:
            return None
        r = rows[0]
        doc = Document(
            text=r["text"],
            id=r["id"],
            title=r["title"],
            date=r["date"],
            url=r["url"],
            source=r["source"],
            author=r["author"],
        )
        hits = self.search(SearchFilters(article=article_id), limit=1_000_000)
        hits.sort(key=lambda h: (h.start, h.pk))
        self._attach_parts(hits)
        entities = {e.id: e for e in self._entities_by_id({h.entity_id for h in hits if h.entity_id})}
        for hit in hits:
            doc.quotations.append(
                Quotation(
                    id=hit.qid,
                    type=hit.type,
                    medium=hit.medium or "none",
                    speaker_entity=entities.get(hit.entity_id or ""),
                    nested_in=hit.nested_in,
                    confidence=hit.confidence if hit.confidence is not None else 1.0,
                    **{p: hit.parts.get(p, []) for p in PARTS},
                )
            )
        doc.entities = list(entities.values())
        return doc

    def _entities_by_id(self, ids: Iterable[str]) -> list[Entity]:
        return [Entity(s.id, s.name, s.kind, s.descriptors, s.aliases) for s in self._entity_summaries(list(ids))]

    def _entity_summaries(
        self, ids: list[str] | None = None, query: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[EntitySummary]:
        conditions, params = [], []
        if ids is not None:
            if not ids:
                return []
            conditions.append(f"e.id IN ({','.join('?' * len(ids))})")
            params += ids
        if query and query.strip():
            conditions.append(
                "(lower(e.name) LIKE ? ESCAPE '\\' OR e.id IN "
                "(SELECT entity_id FROM aliases WHERE alias LIKE ? ESCAPE '\\'))"
            )
            params += [like_pattern(query.strip()), like_pattern(normalize_alias(query))]
        where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
        rows = self.db.execute(
            "SELECT e.id, e.name, e.kind, e.descriptors, "
            "(SELECT count(*) FROM quotations q WHERE q.entity_id = e.id) AS n "
            f"FROM entities e {where} ORDER BY n DESC, e.name LIMIT ? OFFSET ?",
            params + [int(limit), int(offset)],
        )
        found = [
            EntitySummary(r["id"], r["name"], r["kind"], json.loads(r["descriptors"]), [], [], r["n"]) for r in rows
        ]
        if found:
            by_id = {e.id: e for e in found}
            marks = ",".join("?" * len(by_id))
            for r in self.db.execute(
                f"SELECT alias, entity_id, manual FROM aliases WHERE entity_id IN ({marks}) ORDER BY alias",
                list(by_id),
            ):
                entity = by_id[r["entity_id"]]
                (entity.manual_aliases if r["manual"] else entity.aliases).append(r["alias"])
        return found

    def entities(self, query: str | None = None, *, limit: int = 100, offset: int = 0) -> list[EntitySummary]:
        """Speakers, most quoted first; `query` matches a part of the name or of an alias."""
        return self._entity_summaries(query=query, limit=limit, offset=offset)

    def entity(self, entity_id: str) -> EntitySummary | None:
        found = self._entity_summaries([entity_id])
        return found[0] if found else None

    def sources(self) -> list[tuple[str, int]]:
        """(source, article count) pairs, for a source filter menu."""
        rows = self.db.execute(
            "SELECT source, count(*) AS n FROM articles WHERE source IS NOT NULL GROUP BY source ORDER BY n DESC, source"
        )
        return [(r["source"], r["n"]) for r in rows]

    def stats(self) -> StoreStats:
        def scalar(sql: str) -> int:
            return self.db.execute(sql)[0]["n"]

        types = self.db.execute("SELECT type, count(*) AS n FROM quotations GROUP BY type ORDER BY n DESC")
        return StoreStats(
            articles=scalar("SELECT count(*) AS n FROM articles"),
            quotations=scalar("SELECT count(*) AS n FROM quotations"),
            entities=scalar("SELECT count(*) AS n FROM entities"),
            sources=self.sources(),
            types=[(r["type"], r["n"]) for r in types],
            schema_version=self.schema_version,
        )

    # ---- aggregates for the web pages (added by the web helper) ---------------------------------------------

    def count_entities(self, query: str | None = None) -> int:
        """How many speakers `entities(query)` pages through."""
        conditions, params = "", []
        if query and query.strip():
            conditions = (
                " WHERE lower(e.name) LIKE ? ESCAPE '\\' OR e.id IN "
                "(SELECT entity_id FROM aliases WHERE alias LIKE ? ESCAPE '\\')"
            )
            params = [like_pattern(query.strip()), like_pattern(normalize_alias(query))]
        return self.db.execute(f"SELECT count(*) AS n FROM entities e{conditions}", params)[0]["n"]

    def entity_profile(self, entity_id: str) -> EntityProfile:
        """Counts of one speaker's quotations by type, medium, addressee and article date."""

        def counts(sql: str) -> list[tuple[str, int]]:
            return [(r["label"], r["n"]) for r in self.db.execute(sql, [entity_id])]

        return EntityProfile(
            types=counts(
                "SELECT type AS label, count(*) AS n FROM quotations WHERE entity_id = ? GROUP BY type "
                "ORDER BY n DESC, type"
            ),
            media=counts(
                "SELECT coalesce(medium, 'none') AS label, count(*) AS n FROM quotations WHERE entity_id = ? "
                "GROUP BY coalesce(medium, 'none') ORDER BY n DESC, label"
            ),
            addressees=counts(
                "SELECT s.text AS label, count(DISTINCT q.pk) AS n FROM spans s JOIN quotations q ON q.pk = s.quotation_pk "
                "WHERE q.entity_id = ? AND s.part = 'addressee' GROUP BY s.text ORDER BY n DESC, s.text LIMIT 50"
            ),
            dates=counts(
                "SELECT article_date AS label, count(*) AS n FROM quotations WHERE entity_id = ? AND article_date <> '' "
                "GROUP BY article_date ORDER BY article_date"
            ),
        )

    def network(self, *, min_weight: int = 1, limit: int = 400) -> list[NetworkEdge]:
        """Who quotes whom (nesting), whom speakers address, which sources report which speakers; heaviest first.

        An addressee becomes its entity when its words are an alias of exactly one entity.
        """
        quotes = self.db.execute(
            "SELECT o.entity_id AS a, eo.name AS a_name, i.entity_id AS b, ei.name AS b_name, count(*) AS n "
            "FROM quotations i JOIN quotations o ON o.article_id = i.article_id AND o.qid = i.nested_in "
            "JOIN entities eo ON eo.id = o.entity_id JOIN entities ei ON ei.id = i.entity_id "
            "WHERE i.entity_id <> o.entity_id GROUP BY o.entity_id, eo.name, i.entity_id, ei.name "
            "HAVING count(*) >= ? ORDER BY n DESC LIMIT ?",
            [min_weight, limit],
        )
        addresses = self.db.execute(
            "SELECT q.entity_id AS a, e.name AS a_name, s.text AS b, count(DISTINCT q.pk) AS n "
            "FROM spans s JOIN quotations q ON q.pk = s.quotation_pk JOIN entities e ON e.id = q.entity_id "
            "WHERE s.part = 'addressee' GROUP BY q.entity_id, e.name, s.text "
            "HAVING count(DISTINCT q.pk) >= ? ORDER BY n DESC LIMIT ?",
            [min_weight, limit],
        )
        reports = self.db.execute(
            "SELECT a.source AS a, a.source AS a_name, q.entity_id AS b, e.name AS b_name, count(*) AS n "
            "FROM quotations q JOIN articles a ON a.id = q.article_id JOIN entities e ON e.id = q.entity_id "
            "WHERE a.source IS NOT NULL AND a.source <> '' GROUP BY a.source, q.entity_id, e.name "
            "HAVING count(*) >= ? ORDER BY n DESC LIMIT ?",
            [min_weight, limit],
        )
        addressed = self._entities_named([r["b"] for r in addresses])
        edges = [
            NetworkEdge(
                "quotes", GraphNode("entity", r["a"], r["a_name"]), GraphNode("entity", r["b"], r["b_name"]), r["n"]
            )
            for r in quotes
        ]
        edges += [
            NetworkEdge(
                "addresses",
                GraphNode("entity", r["a"], r["a_name"]),
                addressed.get(r["b"]) or GraphNode("addressee", r["b"], r["b"]),
                r["n"],
            )
            for r in addresses
        ]
        edges += [
            NetworkEdge(
                "reports", GraphNode("source", r["a"], r["a_name"]), GraphNode("entity", r["b"], r["b_name"]), r["n"]
            )
            for r in reports
        ]
        return sorted(edges, key=lambda e: -e.weight)[:limit]

    def _entities_named(self, texts: list[str]) -> dict[str, GraphNode]:
        """Words → the one entity that has them as an alias (words naming several entities stay unresolved)."""
        keys = {text: normalize_alias(text) for text in texts}
        wanted = sorted(set(keys.values()) - {""})
        owners: dict[str, list[Any]] = {}
        for chunk in range(0, len(wanted), 500):
            part = wanted[chunk : chunk + 500]
            rows = self.db.execute(
                "SELECT DISTINCT al.alias, e.id, e.name FROM aliases al JOIN entities e ON e.id = al.entity_id "
                f"WHERE al.alias IN ({','.join('?' * len(part))})",
                part,
            )
            for r in rows:
                owners.setdefault(r["alias"], []).append(r)
        return {
            text: GraphNode("entity", owners[key][0]["id"], owners[key][0]["name"])
            for text, key in keys.items()
            if len(owners.get(key, [])) == 1
        }

    # ---- writing -------------------------------------------------------------------------------------------

    def stored_as(self, doc: Document) -> str | None:
        """Id of the stored article this Document duplicates: same URL, or (without a URL) the same text."""
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
            for r in self.db.execute("SELECT alias, entity_id, manual FROM aliases"):
                entities[r["entity_id"]].aliases.append(r["alias"])
                if r["manual"]:
                    manual[r["alias"]] = r["entity_id"]
            self._catalogue = Catalogue(list(entities.values()), manual)
        return self._catalogue

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
        """Store a batch of analysed Documents in one transaction: all of it is committed, or none of it.

        If the database rejects the batch, each document is retried in its own transaction so that one bad
        document fails alone, with the database's reason.
        """
        try:
            return self._add_in_transaction(docs, model, lang)
        except self.db.errors as err:
            if len(docs) == 1:
                return [Outcome(docs[0].id, "failed", f"not stored: {str(err).splitlines()[0]}")]
            return [outcome for doc in docs for outcome in self.add_batch([doc], model=model, lang=lang)]

    def _add_in_transaction(self, docs: Sequence[Document], model: str | None, lang: str | None) -> list[Outcome]:
        outcomes = []
        try:
            with self.db.transaction():
                for doc in docs:
                    outcomes.append(self._add_one(doc, model, lang))
        except BaseException:
            self._catalogue = None  # entities added in memory were rolled back in the database
            raise
        return outcomes

    def _add_one(self, doc: Document, model: str | None, lang: str | None) -> Outcome:
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
        self._insert_quotations(doc_id, doc)
        return Outcome(doc_id, "stored", stored_as=doc_id)

    def _insert_quotations(self, article_id: str, doc: Document) -> None:
        """Quotations and spans of one article, speakers merged into the catalogue."""
        entity_ids = self._store_entities(doc)
        date = doc.date or ""
        spans: list[tuple[Any, ...]] = []
        for q in doc.quotations:
            entity = entity_ids.get(q.speaker_entity.id) if q.speaker_entity else None
            if q.speaker_text and self.catalogue().pins:
                entity = self.catalogue().pins.get(normalize_alias(q.speaker_text), entity)
            pk = self.db.execute(
                "INSERT INTO quotations (article_id, qid, type, medium, confidence, nested_in, quote_text, "
                "speaker_text, entity_id, start_char, end_char, article_date) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING pk",
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
                ],
            )[0]["pk"]
            spans += [(pk, part, s.start, s.end, s.text) for part in PARTS for s in q.part(part)]
        if spans:
            self.db.executemany(
                "INSERT INTO spans (quotation_pk, part, start_char, end_char, text) VALUES (?, ?, ?, ?, ?)", spans
            )

    def _store_entities(self, doc: Document) -> dict[str, str]:
        """Merge each of the article's speakers into the catalogue (via resolve.canonical_entity); returns
        article entity id → catalogue entity id."""
        local = {e.id: e for e in doc.entities}
        for q in doc.quotations:
            if q.speaker_entity is not None:
                local.setdefault(q.speaker_entity.id, q.speaker_entity)
        if not local:
            return {}
        catalogue = self.catalogue()
        mapping = {}
        for mention in local.values():
            entity = self._unpinned(mention, catalogue.pins)
            target = canonical_entity(entity, catalogue.entities, catalogue.manual)
            if target is entity or target.id not in catalogue.by_id:
                target = Entity(catalogue.new_id(entity.id or slug(entity.name)), entity.name, entity.kind, [], [])
                self.db.execute(
                    "INSERT INTO entities (id, name, kind, descriptors) VALUES (?, ?, ?, '[]')",
                    [target.id, target.name, target.kind],
                )
                catalogue.add(target)
            self._enrich(target, entity)
            mapping[entity.id] = target.id
        return mapping

    @staticmethod
    def _unpinned(entity: Entity, pins: dict[str, str]) -> Entity:
        """The entity without aliases that a split pinned to another speaker (unless it is its own name)."""
        own = normalize_alias(entity.name)
        kept = [a for a in entity.aliases if normalize_alias(a) == own or normalize_alias(a) not in pins]
        if len(kept) == len(entity.aliases):
            return entity
        return Entity(entity.id, entity.name, entity.kind, list(entity.descriptors), kept)

    def _enrich(self, target: Entity, mention: Entity) -> None:
        """Add a mention's name, aliases and descriptors to its catalogue entity."""
        new_descriptors = [d for d in mention.descriptors if d not in target.descriptors]
        if new_descriptors:
            target.descriptors.extend(new_descriptors)
            self.db.execute(
                "UPDATE entities SET descriptors = ? WHERE id = ?",
                [json.dumps(target.descriptors, ensure_ascii=False), target.id],
            )
        names = {normalize_alias(n) for n in [mention.name, *mention.aliases]} - {""} - set(target.aliases)
        if names:
            target.aliases.extend(sorted(names))
            self.db.executemany(
                "INSERT INTO aliases (alias, entity_id, manual) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [(n, target.id, False) for n in sorted(names)],
            )

    def replace_analysis(self, docs: Sequence[Document], *, model: str | None = None) -> None:
        """Swap the quotations of stored articles for a new analysis, one transaction for the batch (--reanalyze).

        Manual aliases are untouched, so merges and splits made by hand still apply to the new speakers.
        """
        try:
            with self.db.transaction():
                for doc in docs:
                    self.db.execute(
                        "DELETE FROM spans WHERE quotation_pk IN (SELECT pk FROM quotations WHERE article_id = ?)",
                        [doc.id],
                    )
                    self.db.execute("DELETE FROM quotations WHERE article_id = ?", [doc.id])
                    self._insert_quotations(doc.id or "", doc)
                    self.db.execute(
                        "UPDATE articles SET analysed_at = ?, model = ? WHERE id = ?", [now(), model, doc.id]
                    )
        except BaseException:
            self._catalogue = None
            raise

    def iter_articles(self, page: int = 100) -> Iterator[Document]:
        """Stored articles as bare Documents (text and metadata, no analysis), for re-analysis."""
        last = -1
        while True:
            rows = self.db.execute(
                "SELECT pk, id, title, date, url, source, author, text FROM articles WHERE pk > ? ORDER BY pk LIMIT ?",
                [last, page],
            )
            if not rows:
                return
            for r in rows:
                yield Document(
                    text=r["text"],
                    id=r["id"],
                    title=r["title"],
                    date=r["date"],
                    url=r["url"],
                    source=r["source"],
                    author=r["author"],
                )
            last = rows[-1]["pk"]

    def prune_entities(self) -> int:
        """Drop catalogue entities no quotation and no manual alias points to any more; returns how many."""
        with self.db.transaction():
            orphans = self.db.execute(
                "SELECT id FROM entities WHERE id NOT IN (SELECT entity_id FROM quotations WHERE entity_id IS NOT NULL) "
                "AND id NOT IN (SELECT entity_id FROM aliases WHERE manual)"
            )
            self.db.executemany("DELETE FROM entities WHERE id = ?", [(r["id"],) for r in orphans])
        self._catalogue = None
        return len(orphans)

    # ---- manual speaker corrections -----------------------------------------------------------------------

    def _resolve_entity_ref(self, ref: str) -> str:
        """An entity id, or a name/alias that identifies exactly one entity."""
        if self.db.execute("SELECT 1 FROM entities WHERE id = ?", [ref]):
            return ref
        rows = self.db.execute(
            "SELECT DISTINCT entity_id FROM aliases WHERE alias = ? "
            "UNION SELECT id FROM entities WHERE lower(name) = ?",
            [normalize_alias(ref), ref.casefold()],
        )
        if len(rows) != 1:
            reason = "no entity" if not rows else f"{len(rows)} entities ({', '.join(r['entity_id'] for r in rows)})"
            raise KeyError(f"{ref!r} names {reason}; use an entity id")
        return rows[0]["entity_id"]

    def _set_manual_aliases(self, aliases: Iterable[str], entity_id: str) -> None:
        for alias in aliases:
            self.db.execute("DELETE FROM aliases WHERE alias = ? AND (manual OR entity_id = ?)", [alias, entity_id])
            self.db.execute("INSERT INTO aliases (alias, entity_id, manual) VALUES (?, ?, ?)", [alias, entity_id, True])

    def merge_entities(self, keep: str, other: str) -> str:
        """Merge entity `other` into `keep` (ids or unambiguous names); its names become manual aliases of
        `keep`, so later ingests and --reanalyze merge them too. Returns the kept id."""
        keep_id, other_id = self._resolve_entity_ref(keep), self._resolve_entity_ref(other)
        if keep_id == other_id:
            raise ValueError(f"{keep!r} and {other!r} are the same entity")
        with self.db.transaction():
            names = {r["alias"] for r in self.db.execute("SELECT alias FROM aliases WHERE entity_id = ?", [other_id])}
            other_row = self.db.execute("SELECT name, descriptors FROM entities WHERE id = ?", [other_id])[0]
            names.add(normalize_alias(other_row["name"]))
            self.db.execute("UPDATE quotations SET entity_id = ? WHERE entity_id = ?", [keep_id, other_id])
            keep_row = self.db.execute("SELECT descriptors FROM entities WHERE id = ?", [keep_id])[0]
            descriptors = json.loads(keep_row["descriptors"])
            descriptors += [d for d in json.loads(other_row["descriptors"]) if d not in descriptors]
            self.db.execute(
                "UPDATE entities SET descriptors = ? WHERE id = ?",
                [json.dumps(descriptors, ensure_ascii=False), keep_id],
            )
            self.db.execute("DELETE FROM aliases WHERE entity_id = ?", [other_id])
            self.db.execute("DELETE FROM entities WHERE id = ?", [other_id])
            self._set_manual_aliases(sorted(names), keep_id)
        self._catalogue = None
        return keep_id

    def split_alias(self, alias: str) -> str:
        """Give `alias` its own entity: quotations whose speaker mention is that alias move to it, and a manual
        alias keeps it apart on later ingests and --reanalyze. Returns the new entity's id."""
        key = normalize_alias(alias)
        rows = self.db.execute("SELECT DISTINCT entity_id FROM aliases WHERE alias = ?", [key])
        if not rows:
            raise KeyError(f"no entity has the alias {alias!r}")
        old_ids = [r["entity_id"] for r in rows]
        catalogue = self.catalogue()
        kind = self.db.execute("SELECT kind FROM entities WHERE id = ?", [old_ids[0]])[0]["kind"]
        new_id = catalogue.new_id(f"{kind}:{slug(alias)}")
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO entities (id, name, kind, descriptors) VALUES (?, ?, ?, '[]')",
                [new_id, alias.strip(), kind],
            )
            marks = ",".join("?" * len(old_ids))
            moved = [
                (new_id, r["pk"])
                for r in self.db.execute(
                    f"SELECT pk, speaker_text FROM quotations WHERE entity_id IN ({marks})", old_ids
                )
                if normalize_alias(r["speaker_text"]) == key
            ]
            self.db.executemany("UPDATE quotations SET entity_id = ? WHERE pk = ?", moved)
            self.db.execute("DELETE FROM aliases WHERE alias = ?", [key])
            self._set_manual_aliases([key], new_id)
        self._catalogue = None
        return new_id
