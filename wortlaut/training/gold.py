"""The annotated dataset's JSONL format (../shared/data/quotations-de): read into Documents carrying gold
quotations, and written from tokenised Documents with quotations.

Reading is shared by `train` and `eval`, so both see the data the same way; gold tokens keep the dataset's
own tokenisation, which is what the token-level scores count. Writing gives records in exactly the
dataset's layout, so annotated examples made here (test fixtures, reviewed articles) train like the
dataset and are usable by anyone else's tools.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..document import PARTS, Document, Quotation, Span, Token
from ..readers import parse_jsonl_record


def _spans(text: str, part: dict[str, Any]) -> list[Span]:
    return [Span.of(text, s["charBegin"], s["charEnd"]) for s in part.get("spans", [])]


def _enclosing(quotation: Quotation, candidates: list[Quotation]) -> str | None:
    """The smallest other quotation whose quote contains this one's quote (the first of equally small ones)."""
    enclosing = [
        other
        for other in candidates
        if other is not quotation and other.quote and other.start <= quotation.start and quotation.end <= other.end
    ]
    best = min(enclosing, key=lambda other: other.end - other.start, default=None)
    return best.id if best else None


def gold_quotation(text: str, ann: dict[str, Any]) -> Quotation:
    def spans(part: str) -> list[Span]:
        return _spans(text, ann.get(part) or {})

    return Quotation(
        id=f"q{ann['id']}",
        type=ann["type"],
        medium=ann.get("medium") or "none",
        quote=spans("quote"),
        speaker=spans("speaker"),
        cue=spans("cue"),
        frame=spans("frame"),
        addressee=spans("addressee"),
    )


def gold_document(record: dict[str, Any]) -> Document:
    doc = parse_jsonl_record(record)
    text = doc.text
    doc.tokens = [
        Token(i=t["id"], start=t["charBegin"], end=t["charEnd"], text=t["text"], sent=t.get("sentence", 0))
        for t in record.get("tokens", [])
    ]
    doc.sentences = [(s["charBegin"], s["charEnd"]) for s in record.get("sentences", [])]
    doc.quotations += [gold_quotation(text, ann) for ann in record.get("annotations", [])]
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


def dataset_record(doc: Document) -> dict[str, Any]:
    """A tokenised Document (doc.tokens and doc.sentences filled) with its quotations as one dataset record."""
    members = sentence_members(doc)
    by_id = {q.id: n for n, q in enumerate(doc.quotations)}
    nested_ids = {q.nested_in for q in doc.quotations if q.nested_in}
    annotations = []
    for n, q in enumerate(doc.quotations):
        annotation: dict[str, Any] = {p: part_record(doc, q.part(p)) for p in PARTS}
        annotation |= {
            "id": n,
            "type": q.type,
            "medium": q.medium,
            "isNested": q.nested_in in by_id,
            "hasNested": q.id in nested_ids,
        }
        annotations.append(annotation)
    title = f" - {doc.title}" if doc.title else ""
    date = f" ({doc.date})" if doc.date else ""
    return {
        "annotations": annotations,
        "documentName": f"{doc.id}{title}{date}",
        "originalText": doc.text,
        "sentences": [sentence_record(doc, n, ids) for n, ids in enumerate(members)],
        "tokens": [
            {
                "charBegin": doc.tokens[i].start,
                "charEnd": doc.tokens[i].end,
                "id": i,
                "sentence": n + 1,
                "text": doc.tokens[i].text,
                "word": word + 1,
            }
            for n, ids in enumerate(members)
            for word, i in enumerate(ids)
        ],
    }


def sentence_members(doc: Document) -> list[list[int]]:
    """The ids of each sentence's tokens (by offsets, whatever numbering the tokens' `sent` uses)."""
    members: list[list[int]] = [[] for _ in doc.sentences]
    starts = [start for start, _ in doc.sentences]
    for token in doc.tokens:
        members[bisect_right(starts, token.start) - 1].append(token.i)
    return members


def sentence_record(doc: Document, n: int, ids: list[int]) -> dict[str, Any]:
    """A sentence's text takes the spaces after it (not line breaks), as in the dataset."""
    start, end = doc.sentences[n]
    text_end = end + len(doc.text[end:]) - len(doc.text[end:].lstrip(" "))
    return {
        "begin": ids[0],
        "charBegin": start,
        "charEnd": end,
        "end": ids[-1] + 1,
        "id": n,
        "text": doc.text[start:text_end],
        "tokenIds": ids,
        "tokens": [doc.tokens[i].text for i in ids],
    }


def part_record(doc: Document, spans: list[Span]) -> dict[str, Any]:
    """A part as the dataset writes it: its spans with token bounds (end exclusive), its tokens, its text."""
    records, token_ids = [], []
    for span in spans:
        ids = doc.token_ids([span])
        if not ids:
            continue
        token_ids += ids
        first, last = doc.tokens[ids[0]], doc.tokens[ids[-1]]
        records.append({"begin": ids[0], "charBegin": first.start, "charEnd": last.end, "end": ids[-1] + 1})
    text = " ".join(doc.text[r["charBegin"] : r["charEnd"]] for r in records)
    return {"spans": records, "text": text, "tokenIds": token_ids}
