"""Store sections of `wortlaut bench`: ingest rate into SQLite and PostgreSQL, and search latency on a big store.

`store-ingest` analyses the train+dev articles once (their original text only), then stores the analysed
documents into a fresh SQLite file and a fresh database on a throw-away PostgreSQL server, batch by batch
as `wortlaut ingest` does; storage overhead = storing time / analysis time.
`store-search` replicates the analysed articles under new ids (bulk insert, 500 per transaction) until the
store holds at least 100,000 quotations, then times 100 varied searches (p50/p95).
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from copy import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import api
from ..api import SearchFilters, Store, open_store
from ..document import Document
from ..store.pgserver import create_database, temporary_server
from .common import BenchConfig, Figures

SEARCH_QUOTATIONS = 100_000
SEARCH_QUERIES = 100
BATCH = 20


def gold_texts(config: BenchConfig) -> list[Document]:
    """train + dev articles as bare Documents (id, title, date, text), like a JSONL dump of originalText."""
    from ..training.gold import read_gold

    paths = [config.gold.with_name("train.jsonl"), config.gold.with_name("dev.jsonl")]
    docs = []
    for path in paths:
        for gold in read_gold(path, limit=config.limit):
            docs.append(Document(text=gold.text, id=gold.id, title=gold.title, date=gold.date, source="wikinews"))
    return docs


@lru_cache(maxsize=2)
def analysed(config: BenchConfig) -> tuple[list[Document], float, float]:
    """(analysed documents, analysis seconds, language-check seconds); shared by both sections."""
    api.analyze("Er sagte, es sei gut.", extractor=config.extractor)
    docs = gold_texts(config)
    start = time.perf_counter()
    for doc in docs:
        api.not_german(doc.text)
    language_s = time.perf_counter() - start
    start = time.perf_counter()
    result = [api.analyze_article(doc, extractor=config.extractor) for doc in docs]
    return result, time.perf_counter() - start, language_s


def timed_store(url: str, docs: list[Document]) -> float:
    """Seconds to store the documents as ingest does: duplicate check, then one transaction per batch."""
    with open_store(url) as store:
        start = time.perf_counter()
        for first in range(0, len(docs), BATCH):
            batch = [doc for doc in docs[first : first + BATCH] if store.stored_as(doc) is None]
            store.add_batch(batch, model="bench")
        seconds = time.perf_counter() - start
        assert store.stats().articles == len({d.id for d in docs})
    return seconds


def store_ingest(config: BenchConfig) -> Figures:
    """Ingest rate of the train+dev articles into SQLite and PostgreSQL, and what storing adds to analysis."""
    docs, analysis_s, language_s = analysed(config)
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_s = timed_store(str(Path(tmp) / "bench.sqlite"), docs)
    with temporary_server() as admin:
        postgres_s = timed_store(create_database(admin, "bench"), docs)
    quotations = sum(len(d.quotations) for d in docs)
    return {
        "articles": len(docs),
        "quotations": quotations,
        "analysis_s": round(analysis_s, 2),
        "language_check_s": round(language_s, 3),
        "sqlite_store_s": round(sqlite_s, 3),
        "postgres_store_s": round(postgres_s, 3),
        "sqlite_ingest_articles_per_s": round(len(docs) / (analysis_s + language_s + sqlite_s), 2),
        "postgres_ingest_articles_per_s": round(len(docs) / (analysis_s + language_s + postgres_s), 2),
        "sqlite_store_only_articles_per_s": round(len(docs) / sqlite_s, 1),
        "postgres_store_only_articles_per_s": round(len(docs) / postgres_s, 1),
        "sqlite_overhead_pct": round(100 * sqlite_s / analysis_s, 2),
        "postgres_overhead_pct": round(100 * postgres_s / analysis_s, 2),
    }


def replicas(docs: list[Document], quotations: int) -> Iterator[Document]:
    """Copies of the analysed articles under new ids (and a marker line and URL fragment, so neither text nor
    URL marks them as duplicates) until `quotations` quotations have been produced."""
    made, round_no = 0, 0
    while made < quotations:
        round_no += 1
        for doc in docs:
            clone = copy(doc)
            clone.id = f"{doc.id}-r{round_no}"
            clone.text = doc.text + f"\n\nKopie {round_no}"  # appended: every quotation offset stays valid
            clone.date = f"{2000 + round_no % 25}-{doc.date[5:]}" if doc.date else None
            clone.source = f"source-{round_no % 7}"
            clone.url = f"{doc.url}#r{round_no}" if doc.url else None  # a shared URL would make it a duplicate
            made += len(doc.quotations)
            yield clone
            if made >= quotations:
                return


def fill(store: Store, docs: list[Document], quotations: int) -> float:
    start = time.perf_counter()
    store.add_documents(replicas(docs, quotations), model="bench", batch_size=500)
    return time.perf_counter() - start


def varied_queries(store: Store, n: int, seed: int = 7) -> list[SearchFilters]:
    """Realistic mixes: frequent and rare words, phrases, prefixes, speaker names, types, dates, sources."""
    rng = random.Random(seed)
    sample = store.search(limit=2000)
    words = [w for hit in sample for w in hit.quote.split() if w.isalpha() and len(w) > 3]
    speakers = [e.name for e in store.entities(limit=200)]
    types = ["Direct", "Indirect", "Reported", "FreeIndirect", "IndirectFreeIndirect"]
    makers = [
        lambda: SearchFilters(query=rng.choice(words)),
        lambda: SearchFilters(query=" ".join(rng.sample(words, 2))),
        lambda: SearchFilters(query='"' + " ".join(rng.choice(sample).quote.split()[1:3]) + '"'),
        lambda: SearchFilters(query=rng.choice(words)[:4] + "*"),
        lambda: SearchFilters(speaker=rng.choice(speakers)),
        lambda: SearchFilters(speaker=rng.choice(speakers), type=rng.choice(types)),
        lambda: SearchFilters(type=rng.choice(types), date_from="2005-01-01", date_to="2010-12-31"),
        lambda: SearchFilters(query=rng.choice(words), source=f"source-{rng.randrange(7)}"),
        lambda: SearchFilters(query=rng.choice(words), date_from="2010"),
        lambda: SearchFilters(query="'); DROP TABLE quotations; --"),
    ]
    return [makers[i % len(makers)]() for i in range(n)]


def latencies(store: Store, queries: list[SearchFilters]) -> dict[str, Any]:
    search_ms, count_ms = [], []
    for filters in queries:
        start = time.perf_counter()
        store.search(filters, limit=20)
        search_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        store.count(filters)
        count_ms.append((time.perf_counter() - start) * 1000)

    def pct(values: list[float], p: int) -> float:
        return round(statistics.quantiles(values, n=100)[p - 1], 2)

    return {
        "search_p50_ms": pct(search_ms, 50),
        "search_p95_ms": pct(search_ms, 95),
        "search_max_ms": round(max(search_ms), 2),
        "count_p50_ms": pct(count_ms, 50),
        "count_p95_ms": pct(count_ms, 95),
    }


def store_search(config: BenchConfig) -> Figures:
    """Search latency (first page of 20, newest first) over 100 varied queries on >= 100,000 quotations."""
    docs, _, _ = analysed(config)
    figures: Figures = {}
    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "big.sqlite")) as store:
        figures["sqlite_fill_s"] = round(fill(store, docs, SEARCH_QUOTATIONS), 1)
        queries = varied_queries(store, SEARCH_QUERIES)
        figures["quotations"] = store.stats().quotations
        figures["queries"] = len(queries)
        figures.update({f"sqlite_{k}": v for k, v in latencies(store, queries).items()})
    with temporary_server() as admin, open_store(create_database(admin, "big")) as store:
        figures["postgres_fill_s"] = round(fill(store, docs, SEARCH_QUOTATIONS), 1)
        store.db.execute("ANALYZE")
        figures.update({f"postgres_{k}": v for k, v in latencies(store, queries).items()})
    return figures
