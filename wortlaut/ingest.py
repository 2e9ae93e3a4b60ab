"""`wortlaut ingest`: read → duplicate and language check → analyse → store, one transaction per batch.

Resuming is free: an article already in the store (same URL, else same text) is recognised before it is
analysed, so a run killed at any moment and started again only does the work that was not committed.
With workers > 1 only the analysis runs in other processes (parallel.analysed_in_order); reading, the checks and
storing stay in this process, in input order, so there is still one writer.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import settings
from .document import Document, content_id, described
from .nlp.language import not_german
from .parallel import AnalysisTimeout, analysed_in_order
from .pipeline import analyse_article, load_pipeline
from .readers import FEED_SUFFIXES, JSONL_SUFFIXES, WARC_SUFFIXES, IngestError, expand, read_sources, suffix_of
from .readers.batch_output import read_marker, read_output
from .store import Outcome, Store, field_problem

#: (event, message). One event per input article as soon as its reading and analysis are done: 'analysed',
#: or why it was not: 'duplicate', 'skipped' (not German), 'failed'; plus 'note' for remarks. Storing happens in
#: batches, so its outcomes go to the report only: a progress bar moves once per article, not once per batch.
Progress = Callable[[str, str], None]


@dataclass
class IngestReport:
    """What a run did, for the summary: counts, and the reason for every article it did not store."""

    stored: int = 0
    duplicate: int = 0
    skipped: list[str] = field(default_factory=list)  # not German
    failed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)  # store ids of the articles this run stored or found stored
    quotations: int = 0  # in the articles this run stored
    speakers: int = 0  # distinct resolved speakers of those quotations
    seconds: float = 0.0

    @property
    def processed(self) -> int:
        return self.stored + self.duplicate + len(self.skipped) + len(self.failed)

    def record(self, event: str, message: str) -> None:
        if event == "stored":
            self.stored += 1
        elif event == "duplicate":
            self.duplicate += 1
        elif event in ("skipped", "failed", "note"):
            getattr(self, {"skipped": "skipped", "failed": "failed", "note": "notes"}[event]).append(message)


def estimate_total(sources: Iterable[str]) -> int | None:
    """Articles to expect, for the progress bar's ETA: JSONL lines are counted; None when feeds, archives
    or stdin make it unknowable without reading them."""
    total = 0
    for source in sources:
        for item in expand(source):
            if not isinstance(item, Path):
                return None
            suffix = suffix_of(item)
            if suffix in FEED_SUFFIXES or suffix in WARC_SUFFIXES:
                return None
            if suffix in JSONL_SUFFIXES:
                with open(item, "rb") as lines:
                    total += sum(1 for line in lines if line.strip())
            else:
                total += 1
    return total


def store_files(store: Store) -> set[Path]:
    """The SQLite store's own files, never read as input (`wortlaut ingest .` next to it)."""
    return {Path(store.url + suffix).resolve() for suffix in ("", "-wal", "-shm", "-journal")}


def inputs(sources: Iterable[str], store: Store) -> list[str]:
    """Sources expanded to files, leaving out the store's own files."""
    own = store_files(store)
    return [
        str(item)
        for source in sources
        for item in expand(source)
        if not (isinstance(item, Path) and item.resolve() in own)
    ]


class Queued:
    """Articles admitted in this run but not stored yet, looked up the way Store.stored_as looks up stored
    ones (the URL, else the text), so a repeat in the input is not analysed again while its first copy is
    still being analysed or waiting for its batch."""

    def __init__(self) -> None:
        self.by_url: dict[str, str] = {}
        self.by_text: dict[str, str] = {}

    def find(self, doc: Document) -> str | None:
        return self.by_url.get(doc.url) if doc.url else self.by_text.get(content_id(doc.text))

    def add(self, doc: Document) -> None:
        text = content_id(doc.text)
        if doc.url:
            self.by_url[doc.url] = doc.id or text
        self.by_text[text] = doc.id or text

    def remove(self, doc: Document) -> None:
        if doc.url:
            self.by_url.pop(doc.url, None)
        self.by_text.pop(content_id(doc.text), None)


class Ingester:
    """Batches analysed articles into the store and turns every outcome into a progress event."""

    def __init__(
        self,
        store: Store,
        extractor: str | None,
        batch_size: int,
        progress: Progress | None,
        workers: int = 1,
        time_limit: float | None = None,
    ) -> None:
        self.store = store
        self.extractor = extractor
        self.workers = workers
        self.time_limit = time_limit
        names = load_pipeline(extractor).names  # loaded here so a missing extractor fails before any reading
        self.model = names[1] if len(names) > 1 else None
        self.batch_size = batch_size
        self.report = IngestReport()
        self.progress = progress
        self.pending: list[Document] = []
        self.pending_chars = 0
        self.queued = Queued()
        self.speaker_ids: set[str] = set()

    def emit(self, event: str, message: str = "") -> None:
        self.report.record(event, message)
        if self.progress:
            self.progress(event, message)

    def count_stored(self, doc: Document) -> None:
        """Add a stored article's quotations and speakers to the report."""
        self.report.quotations += len(doc.quotations)
        self.speaker_ids.update(q.speaker_entity.id for q in doc.quotations if q.speaker_entity)
        self.report.speakers = len(self.speaker_ids)

    def record_outcomes(self, docs: list[Document], outcomes: list[Outcome]) -> None:
        """The report's side of storing a batch (add_batch gives one outcome per document, in order)."""
        for doc, outcome in zip(docs, outcomes, strict=True):
            if outcome.stored_as:
                self.report.articles.append(outcome.stored_as)
            if outcome.status == "stored":
                self.count_stored(doc)
            message = f"{described(doc)}: {outcome.message}" if outcome.message else str(outcome.doc_id)
            self.report.record(outcome.status, message)

    def admitted(self, items: Iterable[Document | IngestError]) -> Iterator[Document]:
        """The input articles worth analysing; the rest (unreadable, already stored or queued, not German)
        are reported here, before any analysis is spent on them."""
        for item in items:
            if isinstance(item, IngestError):
                self.emit("failed", str(item))
                continue
            problem = field_problem(item)
            if problem:
                self.emit("failed", f"{item.id}: not stored: {problem}")
                continue
            existing = self.store.stored_as(item) or self.queued.find(item)
            if existing is not None:
                self.report.articles.append(existing)
                self.emit("duplicate", f"{described(item)}: already stored as {existing}")
                continue
            reason = not_german(item.text)
            if reason:
                self.emit("skipped", f"{item.id}: {reason}")
                continue
            if len(item.text) >= settings.HUGE_CHARS:
                self.emit("note", f"{item.id}: {len(item.text) / 1e6:.1f} M characters, analysed piece by piece")
            self.queued.add(item)
            yield item

    def analysed(self, docs: Iterable[Document]) -> Iterator[Document]:
        """The documents analysed by `workers` processes, in order; one whose analysis fails (a bug or odd
        input in one article) is reported and left out, and the rest go on."""
        in_flight: deque[Document] = deque()

        def tracked() -> Iterator[Document]:
            for doc in docs:
                in_flight.append(doc)
                yield doc

        for result in analysed_in_order(
            tracked(), extractor=self.extractor, workers=self.workers, step=analyse_article, time_limit=self.time_limit
        ):
            doc = in_flight.popleft()
            if isinstance(result, AnalysisTimeout):
                self.queued.remove(doc)
                self.emit("failed", str(result))
            elif isinstance(result, Exception):
                self.queued.remove(doc)  # not stored after all: a later copy may try again
                self.emit("failed", f"{doc.id}: analysis failed ({type(result).__name__}: {result})")
            else:
                self.emit("analysed", str(doc.id))
                yield result

    def take(self, doc: Document) -> None:
        """Queue an analysed article for the next batch, storing the batch once it is full."""
        self.pending.append(doc)
        self.pending_chars += len(doc.text)
        if len(self.pending) >= self.batch_size or self.pending_chars >= settings.BATCH_CHARS:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.record_outcomes(self.pending, self.store.add_batch(self.pending, model=self.model))
            for doc in self.pending:
                self.queued.remove(doc)
        self.pending, self.pending_chars = [], 0


def ingest(
    store: Store,
    sources: Iterable[str],
    *,
    extractor: str | None = None,
    batch_size: int = 20,
    workers: int = 1,
    progress: Progress | None = None,
    time_limit: float | None = None,
) -> IngestReport:
    """Read every source, analyse German articles not yet stored (in `workers` processes, 0: one per core),
    and store them `batch_size` per transaction. An article whose analysis takes longer than `time_limit`
    seconds (default settings.TIME_LIMIT, 0: none) is reported and skipped."""
    started = time.perf_counter()
    ingester = Ingester(store, extractor, batch_size, progress, workers, time_limit)
    for doc in ingester.analysed(ingester.admitted(read_sources(sources, exclude=store_files(store)))):
        ingester.take(doc)
    ingester.flush()
    ingester.report.seconds = time.perf_counter() - started
    return ingester.report


def reanalyze(
    store: Store,
    *,
    extractor: str | None = None,
    batch_size: int = 20,
    workers: int = 1,
    progress: Progress | None = None,
    time_limit: float | None = None,
) -> IngestReport:
    """Run the current pipeline over every stored article again, replacing its quotations batch by batch.

    Manual speaker aliases stay, so merges and splits made by hand apply to the new analysis. An article
    whose analysis takes longer than `time_limit` seconds keeps its old analysis.
    """
    started = time.perf_counter()
    ingester = Ingester(store, extractor, batch_size, progress, workers, time_limit)
    batch: list[Document] = []

    def replace() -> None:
        store.replace_analysis(batch, model=ingester.model)
        for doc in batch:
            ingester.report.record("stored", str(doc.id))
            ingester.count_stored(doc)
        batch.clear()

    for doc in ingester.analysed(store.iter_articles()):
        batch.append(doc)
        if len(batch) >= batch_size:
            replace()
    if batch:
        replace()
    pruned = store.prune_entities()
    if pruned:
        ingester.emit("note", f"{pruned} speaker entities no longer quoted were removed")
    ingester.report.seconds = time.perf_counter() - started
    return ingester.report


def ingest_batch_output(store: Store, path: str | Path) -> IngestReport:
    """Load a finished batch output into the store as it is (no re-analysis); returns an IngestReport."""
    started = time.perf_counter()
    components = read_marker(path).get("components", [])
    model = components[1] if len(components) > 1 else None
    summary = store.add_documents(read_output(path), model=model)
    return IngestReport(
        stored=summary.stored,
        duplicate=summary.duplicate,
        failed=[f"{o.doc_id}: {o.message}" for o in summary.failed],
        seconds=time.perf_counter() - started,
    )
