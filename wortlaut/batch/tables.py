"""The four tables a batch job writes — articles, quotations, spans, speakers, joined on `article_id` and
partitioned by `date=YYYY-MM-DD` (or `date=unknown`) — as rows built from analysed Documents.
`readers.batch_output` reads them back."""

from __future__ import annotations

import re

from ..document import PARTS, Document, Entity
from ..store import spark_ddl

BAD_RECORDS = "_bad_records.txt"
UNKNOWN_DATE = "unknown"
TABLES = ("articles", "quotations", "spans", "speakers")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
#: One table row, its columns in the order of the table's schema below.
Row = tuple[object, ...]

# Spark SQL DDL schemas; `date` (the partition column) comes last in every table.
SCHEMAS = {
    "articles": "article_id string, title string, published string, url string, source string, "
    "author string, text string, n_quotations int, date string",
    # the columns a quotation row also has are typed as in store.QUOTATION_ROW
    "quotations": f"{spark_ddl(['article_id', 'quotation_id'])}, position int, {spark_ddl(['type', 'medium'])}, "
    f"speaker_entity_id string, {spark_ddl(['nested_in', 'confidence'])}, date string",
    "spans": "article_id string, quotation_id string, part string, position int, start int, end int, "
    "text string, date string",
    "speakers": "article_id string, entity_id string, position int, name string, kind string, "
    "descriptors array<string>, aliases array<string>, date string",
}


def partition_date(published: str | None) -> str:
    """The partition key: the YYYY-MM-DD prefix of the article's date, or 'unknown'."""
    if published and _DAY.match(published):
        return published[:10]
    return UNKNOWN_DATE


def article_row(doc: Document, day: str) -> Row:
    return (doc.id, doc.title, doc.date, doc.url, doc.source, doc.author, doc.text, len(doc.quotations), day)


def quotation_rows(doc: Document, day: str) -> list[Row]:
    return [
        (
            doc.id,
            q.id,
            n,
            q.type,
            q.medium,
            q.speaker_entity.id if q.speaker_entity else None,
            q.nested_in,
            float(q.confidence),
            day,
        )
        for n, q in enumerate(doc.quotations)
    ]


def span_rows(doc: Document, day: str) -> list[Row]:
    return [
        (doc.id, q.id, part, n, s.start, s.end, s.text, day)
        for q in doc.quotations
        for part in PARTS
        for n, s in enumerate(q.part(part))
    ]


def speakers_of(doc: Document) -> list[Entity]:
    """The article's entities, plus any quotation's speaker entity the resolver did not list."""
    entities = {e.id: e for e in doc.entities}
    for q in doc.quotations:
        if q.speaker_entity and q.speaker_entity.id not in entities:
            entities[q.speaker_entity.id] = q.speaker_entity
    return list(entities.values())


def speaker_rows(doc: Document, day: str) -> list[Row]:
    return [
        (doc.id, e.id, n, e.name, e.kind, list(e.descriptors), list(e.aliases), day)
        for n, e in enumerate(speakers_of(doc))
    ]


def table_rows(doc: Document) -> dict[str, list[Row]]:
    """An analysed Document as rows of the four tables (tokens are dropped: they are not in the contract)."""
    day = partition_date(doc.date)
    return {
        "articles": [article_row(doc, day)],
        "quotations": quotation_rows(doc, day),
        "spans": span_rows(doc, day),
        "speakers": speaker_rows(doc, day),
    }
