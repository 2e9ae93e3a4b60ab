"""The one front door: the library API that the CLI, the web app, the Spark job, the benchmark and the
evaluation are thin layers over, and that users import.

    import wortlaut
    doc = wortlaut.analyze("Die Lage sei ernst, sagte Ministerin Anna Berg.")
    with wortlaut.open_store("wortlaut.sqlite") as store:
        wortlaut.ingest(store, ["artikel/"])
        hits = wortlaut.search(store, wortlaut.SearchFilters(speaker="Berg"))

Reviewers' scripts need nothing else either: accounts (store.add_user, store.user, store.users), corrections
(store.correct, store.undo, store.history; StaleEdit when someone else changed the quotation or speaker first,
CorrectionError for one that cannot be made) and speaker changes (store.rename_entity, merge_entities,
split_alias, entity_history), all on the Store that open_store gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from . import ingest as ingest_job
from .document import Document
from .export import export_quotations, table_file
from .ingest import IngestReport, Progress
from .nlp.language import not_german
from .parallel import Analysed, AnalysisTimeout, analysed_in_order, raise_in_place
from .pipeline import analyse_article, load_pipeline
from .readers import IngestError, read_sources
from .readers.batch_output import is_batch_output
from .review import AccountError, Correction, CorrectionError
from .store import (
    Account,
    ArticleSummary,
    EntitySummary,
    NetworkEdge,
    QueryError,
    QuotationHit,
    ReviewProgress,
    SearchFilters,
    StaleEdit,
    Store,
    Term,
    analytics,
    highlight_terms,
    open_store,
    parse_query,
    word_spans,
)
from .store import (
    default_url as default_store_url,
)

__all__ = [
    "Account",
    "AccountError",
    "AnalysisTimeout",
    "ArticleSummary",
    "Correction",
    "CorrectionError",
    "EntitySummary",
    "IngestError",
    "IngestReport",
    "NetworkEdge",
    "QueryError",
    "QuotationHit",
    "ReviewProgress",
    "SearchFilters",
    "StaleEdit",
    "Store",
    "Term",
    "analytics",
    "analyze",
    "analyze_article",
    "analyze_each",
    "analyze_many",
    "default_store_url",
    "estimate_articles",
    "export",
    "highlight_terms",
    "ingest",
    "not_german",
    "open_store",
    "parse_query",
    "pipeline_names",
    "read",
    "reanalyze",
    "search",
    "table_file",
    "word_spans",
]


def analyze(
    text: str | Document,
    *,
    extractor: str | None = None,
    id: str | None = None,
    title: str | None = None,
    date: str | None = None,
    url: str | None = None,
) -> Document:
    """Find every quotation in a German text (or a prepared Document) and resolve its speaker."""
    doc = text if isinstance(text, Document) else Document(text=text, id=id, title=title, date=date, url=url)
    return load_pipeline(extractor)(doc)


def analyze_many(
    docs: Iterable[Document],
    *,
    extractor: str | None = None,
    workers: int = 1,
    time_limit: float | None = None,
    on_timeout: Callable[[AnalysisTimeout], None] | None = None,
) -> Iterator[Document]:
    """Analyse a stream of Documents with one loaded pipeline per process, in input order.

    workers=1 analyses in this process; more use a pool of that many processes (0: one per CPU core).
    Either way a document whose analysis raises stops the stream with that error, after every document
    before it has been yielded. One whose analysis takes longer than `time_limit` seconds (default
    settings.TIME_LIMIT, 0: none) raises AnalysisTimeout, or is handed to `on_timeout` and skipped.
    """
    analysed = analysed_in_order(docs, extractor=extractor, workers=workers, time_limit=time_limit)
    return raise_in_place(analysed, on_timeout)


def analyze_each(
    docs: Iterable[Document], *, extractor: str | None = None, workers: int = 1, time_limit: float | None = None
) -> Analysed:
    """Like analyze_many, but a document whose analysis raises yields its error in its place and the stream
    goes on: for callers that report a failed document and carry on with the rest."""
    return analysed_in_order(docs, extractor=extractor, workers=workers, time_limit=time_limit)


def analyze_article(doc: Document, *, extractor: str | None = None, piece_chars: int | None = None) -> Document:
    """What ingest and the Spark job do to one article: the pipeline, a very long article in paragraph-aligned
    pieces (memory stays flat), tokens dropped afterwards (only quotations are kept)."""
    return analyse_article(doc, load_pipeline(extractor), piece_chars)


def pipeline_names(extractor: str | None = None) -> list[str]:
    """The components the pipeline runs (loading it, so a missing model fails here)."""
    return load_pipeline(extractor).names


def read(sources: Iterable[str]) -> Iterator[Document | IngestError]:
    """Every article (or a one-line error) from any mix of files, directories, feeds, archives and '-'."""
    return read_sources(sources)


def ingest(
    store: Store,
    sources: Iterable[str],
    *,
    extractor: str | None = None,
    batch_size: int = 20,
    workers: int = 1,
    progress: Progress | None = None,
    time_limit: float | None = None,
) -> list[IngestReport]:
    """Analyse and store every German article not stored yet; a finished `wortlaut batch` output directory
    is stored as it is, without analysing it again. One report per batch output, then one for the rest."""
    sources = list(sources)
    outputs = [source for source in sources if is_batch_output(source)]
    reports = [ingest_job.ingest_batch_output(store, path) for path in outputs]
    rest = [source for source in sources if source not in outputs]
    if rest:
        reports.append(
            ingest_job.ingest(
                store,
                rest,
                extractor=extractor,
                batch_size=batch_size,
                workers=workers,
                progress=progress,
                time_limit=time_limit,
            )
        )
    return reports


def estimate_articles(store: Store | None, sources: Iterable[str]) -> int | None:
    """How many articles `ingest` (or, without a store, `analyze`) will read from the sources (for a progress
    bar), or None when only reading them would tell (feeds, archives, stdin)."""
    files = [source for source in sources if not is_batch_output(source)]
    return ingest_job.estimate_total(ingest_job.inputs(files, store) if store else files)


def reanalyze(
    store: Store,
    *,
    extractor: str | None = None,
    batch_size: int = 20,
    workers: int = 1,
    progress: Progress | None = None,
    time_limit: float | None = None,
) -> IngestReport:
    """Run the current pipeline over every stored article again; corrections made by hand are kept."""
    return ingest_job.reanalyze(
        store, extractor=extractor, batch_size=batch_size, workers=workers, progress=progress, time_limit=time_limit
    )


def search(
    store: Store, filters: SearchFilters | None = None, *, limit: int = 50, offset: int = 0
) -> list[QuotationHit]:
    """Stored quotations matching the filters, newest first."""
    return store.search(filters, limit=limit, offset=offset)


def export(
    store: Store,
    filters: SearchFilters,
    fmt: str,
    path: Path | None = None,
    stdout: IO[str] | None = None,
    *,
    raw: bool = False,
    excel: bool = False,
    with_history: bool = False,
) -> int:
    """Write every matching quotation as csv, jsonl or parquet to `path` (or `stdout`); returns the count.

    CSV cells a spreadsheet would run as formulas are neutralised unless `raw`; `excel` adds a UTF-8 BOM;
    `with_history` adds each quotation's corrections (who, when, what, before → after)."""
    return export_quotations(store, filters, fmt, path, stdout, raw=raw, excel=excel, with_history=with_history)
