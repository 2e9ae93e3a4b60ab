"""Reviewers' corrections as training data: every fully reviewed article in the annotated dataset's exact
JSONL layout (tokens, sentences, annotations with token ids), so `wortlaut train --extra` — or anyone
else's tools — can learn from it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import nlp
from ..api import Store
from .gold import dataset_record


def reviewed_records(store: Store) -> Iterator[dict[str, Any]]:
    """One dataset record per fully reviewed article, its quotations as the reviewers left them."""
    for article_id in store.fully_reviewed():
        doc = store.article(article_id)
        if doc is not None:
            yield dataset_record(nlp.tokenize(doc))


def export_reviewed(store: Store, path: Path) -> int:
    """Write reviewed_records to `path` (JSON Lines); returns how many articles."""
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        for record in reviewed_records(store):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count
