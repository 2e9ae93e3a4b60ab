"""Analysis in a pool of worker processes, in input order, with memory flat however long the stream.

One loaded pipeline per process; a document whose analysis raises yields its error in its place, so one
bad article never ends a stream. Workers die with their parent and leave Ctrl-C to it.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import closing
from itertools import islice
from types import FrameType
from typing import TypeVar

from . import settings
from .document import Document, described
from .pipeline import Pipeline, load_pipeline

#: A short text analysed first, so lazily loaded resources are loaded before any article's time budget runs, and
#: before forking, so they are shared by the workers, not loaded in each.
WARM_UP_TEXT = "Er sagte, es sei gut."
#: Linux prctl option: the signal a process gets when its parent dies.
PR_SET_PDEATHSIG = 1

#: What analyses one document: the whole pipeline by default; ingest passes pipeline.analyse_article (huge
#: articles in pieces), the step the Spark job runs too.
#: Must be a module-level function, since it is sent to the worker processes by name.
Step = Callable[[Document, Pipeline], Document]
Analysed = Generator[Document | Exception, None, None]
T = TypeVar("T")


class AnalysisTimeout(Exception):
    """An article whose analysis ran past its time budget (settings.TIME_LIMIT); it is given up, not stored."""

    def __init__(self, article: str, seconds: float) -> None:
        super().__init__(article, seconds)
        self.article, self.seconds = article, seconds

    def __str__(self) -> str:
        return f"{self.article}: analysis took longer than {self.seconds:g} s; skipped"


class _Alarm(BaseException):
    """Raised by the SIGALRM handler: a BaseException, so no `except Exception` inside a component swallows it."""


def _raise_alarm(signum: int, frame: FrameType | None) -> None:
    raise _Alarm


def can_time() -> bool:
    """A budget needs a real-time interval timer (not on Windows) and the main thread (signal handlers run there)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def within_budget(analyse: Callable[[], T], seconds: float | None, article: str) -> T:
    """`analyse()`, interrupted with AnalysisTimeout after `seconds` (0 or None: no limit). The timer interrupts
    Python code and regular expressions; a long call into other C code is interrupted when it returns."""
    if not seconds or not can_time():
        return analyse()
    previous = signal.signal(signal.SIGALRM, _raise_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return analyse()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Alarm:  # also when it fired between the end of the analysis and the timer's stop
        raise AnalysisTimeout(article, seconds) from None
    finally:
        signal.signal(signal.SIGALRM, previous)


def run_pipeline(doc: Document, pipeline: Pipeline) -> Document:
    """The default step: every component over the document."""
    return pipeline(doc)


def analysed_in_order(
    docs: Iterable[Document],
    *,
    extractor: str | None = None,
    workers: int = 1,
    step: Step = run_pipeline,
    time_limit: float | None = None,
) -> Analysed:
    """Each document analysed (by `workers` processes, 0: one per core), or the error its analysis raised,
    in input order. A document whose analysis takes longer than `time_limit` seconds (default
    settings.TIME_LIMIT, 0: no limit) yields an AnalysisTimeout."""
    pipeline = load_pipeline(extractor)  # fails here, before any process starts, when the extractor cannot load
    workers = workers or os.cpu_count() or 1
    budget = settings.TIME_LIMIT if time_limit is None else time_limit
    pipeline(Document(text=WARM_UP_TEXT))  # loads lazy resources now, not on the first article's time budget
    if workers == 1:
        return (analyze_one(doc, pipeline, step, budget) for doc in docs)
    return analyze_in_pool(docs, extractor, workers, step, budget)


def analyze_one(doc: Document, pipeline: Pipeline, step: Step, time_limit: float) -> Document | Exception:
    """The analysed document, or the error its analysis raised (so one bad document cannot end a stream)."""
    try:
        return within_budget(lambda: step(doc, pipeline), time_limit, described(doc))
    except Exception as err:
        return err


def analyze_in_pool(
    docs: Iterable[Document], extractor: str | None, workers: int, step: Step, time_limit: float
) -> Analysed:
    """Chunks of documents analysed by `workers` processes; at most settings.TASKS_AHEAD chunks per worker in flight."""
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=start_worker, initargs=(extractor, os.getpid()))
    pending: deque[Future[list[Document | Exception]]] = deque()
    stream = iter(docs)
    chunks = iter(lambda: list(islice(stream, settings.CHUNK_SIZE)), [])
    try:
        for chunk in chunks:
            pending.append(pool.submit(analyze_chunk, chunk, extractor, step, time_limit))
            if len(pending) >= workers * settings.TASKS_AHEAD:
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


def analyze_chunk(
    docs: list[Document], extractor: str | None, step: Step, time_limit: float
) -> list[Document | Exception]:
    """Worker side: each document analysed on its own (and on its own time budget), its error returned in
    its place rather than raised."""
    pipeline = load_pipeline(extractor)
    return [portable(analyze_one(doc, pipeline, step, time_limit)) for doc in docs]


def portable(result: Document | Exception) -> Document | Exception:
    """An error that cannot travel back to the parent becomes a RuntimeError naming it, so it fails only
    its own document instead of the whole chunk."""
    if isinstance(result, Exception):
        try:
            pickle.loads(pickle.dumps(result))
        except Exception:
            return RuntimeError(f"{type(result).__name__}: {result}")
    return result


def raise_in_place(
    analysed: Analysed, on_timeout: Callable[[AnalysisTimeout], None] | None = None
) -> Iterator[Document]:
    """The documents in order; a document's error is raised where the document would have been, and the
    stream behind it is closed (which shuts a pool down). With `on_timeout`, a document that ran out of time
    is handed to it instead and the stream goes on."""
    with closing(analysed):
        for item in analysed:
            if isinstance(item, AnalysisTimeout) and on_timeout:
                on_timeout(item)
            elif isinstance(item, Exception):
                raise item
            else:
                yield item
