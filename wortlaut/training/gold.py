"""Read the annotated dataset (../shared/data/quotations-de) into Documents carrying gold quotations.

Shared by `train` and `eval`, so both see the data the same way. Gold tokens keep the dataset's own
tokenisation, which is what the token-level scores count.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..document import PARTS, Document, Quotation, Span, Token
from ..readers import parse_jsonl_record


def _spans(text: str, part: dict[str, Any]) -> list[Span]:
    return [Span.of(text, s["charBegin"], s["charEnd"]) for s in part.get("spans", [])]


def _enclosing(quotation: Quotation, candidates: list[Quotation]) -> str | None:
    """The smallest other quotation whose quote contains this one's quote."""
    best = None
    for other in candidates:
        if other is quotation or not other.quote:
            continue
        if other.start <= quotation.start and quotation.end <= other.end:
            if best is None or (other.end - other.start) < (best.end - best.start):
                best = other
    return best.id if best else None


def gold_document(record: dict[str, Any]) -> Document:
    doc = parse_jsonl_record(record)
    text = doc.text
    doc.tokens = [
        Token(i=t["id"], start=t["charBegin"], end=t["charEnd"], text=t["text"], sent=t.get("sentence", 0))
        for t in record.get("tokens", [])
    ]
    doc.sentences = [(s["charBegin"], s["charEnd"]) for s in record.get("sentences", [])]
    for ann in record.get("annotations", []):
        doc.quotations.append(
            Quotation(
                id=f"q{ann['id']}",
                type=ann["type"],
                medium=ann.get("medium") or "none",
                **{p: _spans(text, ann.get(p) or {}) for p in PARTS},
            )
        )
    nested = {f"q{a['id']}" for a in record.get("annotations", []) if a.get("isNested")}
    for q in doc.quotations:
        if q.id in nested:
            q.nested_in = _enclosing(q, doc.quotations)
    return doc


def read_gold(path: str | Path, limit: int | None = None) -> Iterator[Document]:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if limit is not None and number >= limit:
                return
            if line.strip():
                yield gold_document(json.loads(line))
