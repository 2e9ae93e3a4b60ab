"""The read side of the Store: search, counts, articles, speakers, statistics and the web pages' aggregates.

Every value goes in as a bound parameter, so nothing from a search box can ever run as SQL.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..document import PARTS, Document, Entity, Quotation, Span
from ..resolve import normalize_alias
from .backends import Backend
from .query import all_words, parse_query
from .records import (
    ArticleSummary,
    EntityProfile,
    EntitySummary,
    GraphNode,
    NetworkEdge,
    QuotationHit,
    SearchFilters,
    StoreStats,
)

_LIKE_SPECIALS = re.compile(r"([\\%_])")


def like_pattern(text: str) -> str:
    """`%text%` with LIKE's own wildcards escaped, so '50%' finds '50%' and not everything."""
    return "%" + _LIKE_SPECIALS.sub(r"\\\1", text.casefold()) + "%"


#: A statement, not a fragment of one: speaker counts leave out quotations quoted inside the same speaker's
#: own quotation ("Er sagte, das Projekt sei „ein Fehler“": one statement by him, not two).
STATEMENT = (
    "NOT EXISTS (SELECT 1 FROM quotations o WHERE o.article_id = q.article_id AND o.qid = q.nested_in "
    "AND o.entity_id = q.entity_id)"
)
#: A speaker's statements (see STATEMENT) counted as all their quotations less those nested in one of their own:
#: two index ranges (migration 006), instead of looking for an outer quotation under each of them.
STATEMENT_COUNT = (
    "(SELECT count(*) FROM quotations q WHERE q.entity_id = e.id) - (SELECT count(*) FROM quotations q "
    "JOIN quotations o ON o.article_id = q.article_id AND o.qid = q.nested_in AND o.entity_id = q.entity_id "
    "WHERE q.entity_id = e.id AND q.nested_in IS NOT NULL)"
)

_HIT_COLUMNS = """
    q.pk, q.article_id, q.qid, q.type, q.medium, q.confidence, q.nested_in, q.quote_text, q.speaker_text,
    q.entity_id, e.name AS entity_name, q.start_char, q.end_char, a.date, a.title, a.source, a.url, q.review_state,
    q.anchor
"""
_HIT_FROM = """
    FROM quotations q JOIN articles a ON a.id = q.article_id LEFT JOIN entities e ON e.id = q.entity_id
"""


def most_first(counts: Counter[str]) -> list[tuple[str, int]]:
    """(key, count) pairs, the largest count first and equal counts by key, as `ORDER BY n DESC, key` sorts."""
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


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
        review_state=row["review_state"],
        anchor=row["anchor"],
    )


class Queries:
    """The Store's read methods (see wortlaut.store.core for the whole API)."""

    db: Backend
    schema_version: int

    def _where(self, filters: SearchFilters) -> tuple[str, list[Any]]:
        """WHERE clause (on aliases q, a) for the filters; every value is a bound parameter."""
        conditions: list[str] = []
        params: list[Any] = []
        if filters.query:
            sql, values = self.db.text_condition("quotations", parse_query(filters.query))
            conditions.append(sql)
            params += values
        if filters.speaker and filters.speaker.strip():
            sql, values = self._speaker_condition(filters.speaker)
            conditions.append(sql)
            params += values
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
        if filters.reviewed is not None:
            conditions.append("q.review_state " + ("<>" if filters.reviewed else "=") + " 'unreviewed'")
        if filters.min_confidence is not None:
            conditions.append("q.confidence >= ?")
            params.append(float(filters.min_confidence))
        if filters.date_from:
            conditions.append("q.article_date >= ?")
            params.append(filters.date_from)
        if filters.date_to:
            conditions.append("q.article_date <= ? AND q.article_date <> ''")
            params.append(filters.date_to + "\uffff")
        return (" WHERE " + " AND ".join(conditions)) if conditions else "", params

    def _speaker_condition(self, speaker: str) -> tuple[str, list[Any]]:
        """Quotations by a speaker whose name contains the text or who has it as an alias, or whose speaker
        mention has all its words.

        Written as one set of keys, each alternative found through its own index: OR-ed on the quotations, the
        alternatives made SQLite read every quotation in the store."""
        by_entity = (
            "SELECT q.pk FROM quotations q WHERE q.entity_id IN (SELECT id FROM entities WHERE kind <> 'anonymous' "
            "AND lower(name) LIKE ? ESCAPE '\\' UNION SELECT entity_id FROM aliases WHERE alias = ?)"
        )
        params: list[Any] = [like_pattern(speaker.strip()), normalize_alias(speaker)]
        mention = all_words(speaker)
        if mention is None:
            return f"q.pk IN ({by_entity})", params
        sql, values = self.db.text_condition("quotations", mention, column="speaker_text")
        return f"q.pk IN ({by_entity} UNION SELECT q.pk FROM quotations q WHERE {sql})", params + values

    def search(
        self,
        filters: SearchFilters | None = None,
        *,
        limit: int = 50,
        offset: int = 0,
        least_confident_first: bool = False,
        **kw: Any,
    ) -> list[QuotationHit]:
        """Quotations matching the filters, newest article first (with an article filter: in reading order;
        for a review queue: least confident first). Keyword args are shorthand for SearchFilters fields:
        `store.search(query="Klima", type="Direct")`.

        Two steps keep it fast on big stores: the page's keys are found and sorted on the quotations table
        alone, then only that page is joined with its articles, speakers and spans."""
        filters = filters or SearchFilters(**kw)
        where, params = self._where(filters)
        if least_confident_first:
            order = "q.confidence, q.pk"
        elif filters.article:
            order = "q.start_char, q.pk"
        else:
            order = "q.article_date DESC, q.pk DESC"
        rows = self.db.execute(
            f"SELECT q.pk FROM {self._filter_from(filters)} {where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, int(limit), int(offset)],
        )
        hits = self._hits([r["pk"] for r in rows])
        self._attach_parts(hits)
        return hits

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
        return int(self.db.execute(f"SELECT count(*) AS n FROM {self._filter_from(filters)} {where}", params)[0]["n"])

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
                [*params, last, page],
            )
            if not rows:
                return
            hits = [_hit(r) for r in rows]
            if with_parts:
                self._attach_parts(hits)
            yield from hits
            last = hits[-1].pk

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
            [*params, int(limit), int(offset)],
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
        summaries = self._entity_summaries(list(ids), counted=False)
        return [Entity(s.id, s.name, s.kind, s.descriptors, s.aliases) for s in summaries]

    def _entity_summaries(
        self,
        ids: list[str] | None = None,
        query: str | None = None,
        limit: int = 100,
        offset: int = 0,
        *,
        counted: bool = True,
    ) -> list[EntitySummary]:
        """Speakers with their aliases; with `counted`, their statement counts too (else 0, and in name order)."""
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
            f"{STATEMENT_COUNT if counted else '0'} AS n "
            f"FROM entities e {where} ORDER BY n DESC, e.name LIMIT ? OFFSET ?",
            [*params, int(limit), int(offset)],
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
            "SELECT source, count(*) AS n FROM articles WHERE source IS NOT NULL "
            "GROUP BY source ORDER BY n DESC, source"
        )
        return [(r["source"], r["n"]) for r in rows]

    def stats(self) -> StoreStats:
        def scalar(sql: str) -> int:
            return int(self.db.execute(sql)[0]["n"])

        types = self.db.execute("SELECT type, count(*) AS n FROM quotations GROUP BY type ORDER BY n DESC")
        return StoreStats(
            articles=scalar("SELECT count(*) AS n FROM articles"),
            quotations=scalar("SELECT count(*) AS n FROM quotations"),
            entities=scalar("SELECT count(*) AS n FROM entities"),
            sources=self.sources(),
            types=[(r["type"], r["n"]) for r in types],
            schema_version=self.schema_version,
        )

    # ---- aggregates for the web pages ---------------------------------------------------------------------

    def generation(self) -> int:
        """How many write transactions the store has committed, in any process: a cache of what was read at one
        generation holds as long as the store is at it."""
        return int(self.db.execute("SELECT n FROM store_generation")[0]["n"])

    def count_entities(self, query: str | None = None) -> int:
        """How many speakers `entities(query)` pages through."""
        conditions, params = "", []
        if query and query.strip():
            conditions = (
                " WHERE lower(e.name) LIKE ? ESCAPE '\\' OR e.id IN "
                "(SELECT entity_id FROM aliases WHERE alias LIKE ? ESCAPE '\\')"
            )
            params = [like_pattern(query.strip()), like_pattern(normalize_alias(query))]
        return int(self.db.execute(f"SELECT count(*) AS n FROM entities e{conditions}", params)[0]["n"])

    def entity_profile(self, entity_id: str) -> EntityProfile:
        """Counts of one speaker's quotations by type, medium, addressee and article date.

        Types, media and dates come from one pass over an index (migration 006), summed here per key."""
        types: Counter[str] = Counter()
        media: Counter[str] = Counter()
        dates: Counter[str] = Counter()
        for r in self.db.execute(
            "SELECT type, medium, article_date, count(*) AS n FROM quotations WHERE entity_id = ? "
            "GROUP BY type, medium, article_date",
            [entity_id],
        ):
            types[r["type"]] += r["n"]
            media["none" if r["medium"] is None else r["medium"]] += r["n"]
            if r["article_date"]:
                dates[r["article_date"]] += r["n"]
        addressees = self.db.execute(
            "SELECT s.text AS label, count(DISTINCT s.quotation_pk) AS n FROM spans s WHERE s.part = 'addressee' "
            "AND s.quotation_pk IN (SELECT pk FROM quotations WHERE entity_id = ?) "
            "GROUP BY s.text ORDER BY n DESC, s.text LIMIT 50",
            [entity_id],
        )
        return EntityProfile(
            types=most_first(types),
            media=most_first(media),
            addressees=[(r["label"], r["n"]) for r in addressees],
            dates=sorted(dates.items()),
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
