"""The library API that the CLI, the web app and the Spark job are thin layers over."""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import signal
import sys
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import closing
from itertools import islice
from typing import Callable, Generator, Iterable, Iterator

from .document import Document
from .pipeline import Pipeline, load_pipeline

#: Documents per task sent to a worker: enough to amortise pickling, few enough to keep all workers busy.
CHUNK_SIZE = 4
#: Tasks queued per worker ahead of the one being read, so memory stays flat however long the stream is.
TASKS_AHEAD = 4
#: A short text analysed before forking, so lazily loaded resources are shared by the workers, not loaded in each.
WARM_UP_TEXT = "Er sagte, es sei gut."
#: Linux prctl option: the signal a process gets when its parent dies.
PR_SET_PDEATHSIG = 1


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


#: What analyses one document: the whole pipeline by default; ingest passes analyse_step.analyse (huge
#: articles in pieces), the step the Spark job runs too.
#: Must be a module-level function, since it is sent to the worker processes by name.
Step = Callable[[Document, Pipeline], Document]
Analysed = Generator[Document | Exception, None, None]


def run_pipeline(doc: Document, pipeline: Pipeline) -> Document:
    """The default step: every component over the document."""
    return pipeline(doc)


def analyze_many(docs: Iterable[Document], *, extractor: str | None = None, workers: int = 1) -> Iterator[Document]:
    """Analyse a stream of Documents with one loaded pipeline per process, in input order.

    workers=1 analyses in this process; more use a pool of that many processes (0: one per CPU core).
    Either way a document whose analysis raises stops the stream with that error, after every document
    before it has been yielded.
    """
    return raise_in_place(analyze_each(docs, extractor=extractor, workers=workers))


def analyze_each(
    docs: Iterable[Document], *, extractor: str | None = None, workers: int = 1, step: Step = run_pipeline
) -> Analysed:
    """Like analyze_many, but a document whose analysis raises yields its error in its place and the stream
    goes on: for callers that report a failed document and carry on with the rest (`wortlaut ingest`)."""
    pipeline = load_pipeline(extractor)  # fails here, before any process starts, when the extractor cannot load
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        return (analyze_one(doc, pipeline, step) for doc in docs)
    pipeline(Document(text=WARM_UP_TEXT))
    return analyze_in_pool(docs, extractor, workers, step)


def analyze_one(doc: Document, pipeline: Pipeline, step: Step) -> Document | Exception:
    """The analysed document, or the error its analysis raised (so one bad document cannot end a stream)."""
    try:
        return step(doc, pipeline)
    except Exception as err:
        return err


def analyze_in_pool(docs: Iterable[Document], extractor: str | None, workers: int, step: Step) -> Analysed:
    """Chunks of documents analysed by `workers` processes; at most TASKS_AHEAD chunks per worker in flight."""
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=start_worker, initargs=(extractor, os.getpid()))
    pending: deque[Future] = deque()
    stream = iter(docs)
    chunks = iter(lambda: list(islice(stream, CHUNK_SIZE)), [])
    try:
        for chunk in chunks:
            pending.append(pool.submit(analyze_chunk, chunk, extractor, step))
            if len(pending) >= workers * TASKS_AHEAD:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def start_worker(extractor: str | None, parent: int) -> None:
    """Worker start-up: leave Ctrl-C to the parent (it shuts the pool down) and die with it, so a killed
    `wortlaut ingest` leaves no workers behind; then load the pipeline once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)
    load_pipeline(extractor)


def analyze_chunk(docs: list[Document], extractor: str | None, step: Step) -> list[Document | Exception]:
    """Worker side: each document analysed on its own, its error returned in its place rather than raised."""
    pipeline = load_pipeline(extractor)
    return [portable(analyze_one(doc, pipeline, step)) for doc in docs]


def portable(result: Document | Exception) -> Document | Exception:
    """An error that cannot travel back to the parent becomes a RuntimeError naming it, so it fails only
    its own document instead of the whole chunk."""
    if isinstance(result, Exception):
        try:
            pickle.loads(pickle.dumps(result))
        except Exception:
            return RuntimeError(f"{type(result).__name__}: {result}")
    return result


def raise_in_place(analysed: Analysed) -> Iterator[Document]:
    """The documents in order; a document's error is raised where the document would have been, and the
    stream behind it is closed (which shuts a pool down)."""
    with closing(analysed):
        for item in analysed:
            if isinstance(item, Exception):
                raise item
            yield item
