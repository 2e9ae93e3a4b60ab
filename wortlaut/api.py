"""The library API that the CLI, the web app and the Spark job are thin layers over."""
from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Iterable, Iterator

from .document import Document
from .pipeline import load_pipeline

#: Documents per task sent to a worker: enough to amortise pickling, few enough to keep all workers busy.
CHUNK_SIZE = 4
#: Tasks queued per worker ahead of the one being read, so memory stays flat however long the stream is.
TASKS_AHEAD = 4
#: A short text analysed before forking, so lazily loaded resources are shared by the workers, not loaded in each.
WARM_UP_TEXT = "Er sagte, es sei gut."


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


def analyze_many(docs: Iterable[Document], *, extractor: str | None = None, workers: int = 1) -> Iterator[Document]:
    """Analyse a stream of Documents with one loaded pipeline per process, in input order.

    workers=1 analyses in this process; more use a pool of that many processes (0: one per CPU core).
    Either way a document whose analysis raises stops the stream with that error, after every document
    before it has been yielded.
    """
    pipeline = load_pipeline(extractor)  # fails here, before any process starts, when the extractor cannot load
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        return pipeline.pipe(docs)
    pipeline(Document(text=WARM_UP_TEXT))
    return analyze_in_pool(docs, extractor, workers)


def analyze_in_pool(docs: Iterable[Document], extractor: str | None, workers: int) -> Iterator[Document]:
    """Chunks of documents analysed by `workers` processes; at most TASKS_AHEAD chunks per worker in flight."""
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=load_pipeline, initargs=(extractor,))
    pending: deque[Future] = deque()
    stream = iter(docs)
    chunks = iter(lambda: list(islice(stream, CHUNK_SIZE)), [])
    try:
        for chunk in chunks:
            pending.append(pool.submit(analyze_chunk, chunk, extractor))
            if len(pending) >= workers * TASKS_AHEAD:
                yield from results(pending.popleft())
        while pending:
            yield from results(pending.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def analyze_chunk(docs: list[Document], extractor: str | None) -> list[Document | Exception]:
    """Worker side: each document analysed on its own, its error returned in its place rather than raised."""
    pipeline = load_pipeline(extractor)
    out: list[Document | Exception] = []
    for doc in docs:
        try:
            out.append(pipeline(doc))
        except Exception as err:  # re-raised in the parent at this document's place in the stream
            out.append(err)
    return out


def results(chunk: Future) -> Iterator[Document]:
    """The chunk's documents in order; a document's error is raised where the document would have been."""
    for item in chunk.result():
        if isinstance(item, Exception):
            raise item
        yield item
