"""A finished `wortlaut batch` output directory read back into analysed Documents (pyarrow only, no Spark),
so `wortlaut ingest` can store it as it is. A `_wortlaut_batch.json` marker is written last by the job:
a directory without it is an unfinished job and is refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..document import PARTS, Document, Entity, Quotation, Span

MARKER = "_wortlaut_batch.json"


class UnfinishedOutput(ValueError):
    """A directory that is not a finished batch output."""


def is_batch_output(path: str | Path) -> bool:
    return (Path(path) / MARKER).is_file()


def output_days(root: Path) -> list[str]:
    """Partition values present in the articles table, in sorted order ('unknown' sorts after dates)."""
    days = [p.name.split("=", 1)[1] for p in (root / "articles").iterdir() if p.is_dir() and p.name.startswith("date=")]
    return sorted(days)


def read_partition(root: Path, table: str, day: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    folder = root / table / f"date={day}"
    if not folder.is_dir():
        return []
    rows: list[dict[str, Any]] = pq.read_table(folder, partitioning=None).to_pylist()
    return rows


def group_by(rows: list[dict[str, Any]], *keys: str) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    """Rows by the values of `keys` (ids, so strings)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row[k] for k in keys), []).append(row)
    return groups


def rebuild_entities(rows: list[dict[str, Any]]) -> list[Entity]:
    return [
        Entity(r["entity_id"], r["name"], r["kind"], list(r["descriptors"] or []), list(r["aliases"] or []))
        for r in sorted(rows, key=lambda r: r["position"])
    ]


def rebuild_quotation(row: dict[str, Any], spans: list[dict[str, Any]], entities: dict[str, Entity]) -> Quotation:
    parts: dict[str, list[Span]] = {p: [] for p in PARTS}
    for s in sorted(spans, key=lambda s: (s["part"], s["position"])):
        parts[s["part"]].append(Span(s["start"], s["end"], s["text"]))
    entity_id = row["speaker_entity_id"]
    return Quotation(
        id=row["quotation_id"],
        type=row["type"],
        medium=row["medium"],
        speaker_entity=entities.get(entity_id) if entity_id else None,
        nested_in=row["nested_in"],
        confidence=row["confidence"],
        **parts,
    )


def documents_of_day(root: Path, day: str) -> Iterator[Document]:
    """Every article of one date partition, rebuilt with its quotations, spans and speaker entities."""
    quotations = group_by(read_partition(root, "quotations", day), "article_id")
    spans = group_by(read_partition(root, "spans", day), "article_id", "quotation_id")
    speakers = group_by(read_partition(root, "speakers", day), "article_id")
    for art in sorted(read_partition(root, "articles", day), key=lambda a: a["article_id"]):
        key = art["article_id"]
        entities = rebuild_entities(speakers.get((key,), []))
        by_id = {e.id: e for e in entities}
        rows = sorted(quotations.get((key,), []), key=lambda q: q["position"])
        yield Document(
            text=art["text"],
            id=key,
            title=art["title"],
            date=art["published"],
            url=art["url"],
            source=art["source"],
            author=art["author"],
            quotations=[rebuild_quotation(q, spans.get((key, q["quotation_id"]), []), by_id) for q in rows],
            entities=entities,
        )


def read_output(path: str | Path) -> Iterator[Document]:
    """The analysed Documents of a finished batch job, one date partition in memory at a time."""
    root = Path(path)
    if not is_batch_output(root):
        raise UnfinishedOutput(f"{root}: not a finished wortlaut batch output (no {MARKER})")
    for day in output_days(root):
        yield from documents_of_day(root, day)


def read_marker(path: str | Path) -> dict[str, Any]:
    marker: dict[str, Any] = json.loads((Path(path) / MARKER).read_text(encoding="utf-8"))
    return marker
