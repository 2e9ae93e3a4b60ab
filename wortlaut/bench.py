"""`wortlaut bench`: speed and memory figures, kept out of the tests so the tests never depend on timing.

Each section is a named function registered with `@section("name")` that takes a BenchConfig and returns a
flat dict of figures; other modules (store ingest rate, search latency, Spark scaling) add their own sections
the same way and `--only NAME` picks sections.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from rich.table import Table

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "shared" / "data" / "quotations-de" / "dev.jsonl"

Figures = dict[str, Any]


@dataclass(frozen=True)
class BenchConfig:
    gold: Path = DEFAULT_GOLD
    extractor: str | None = None
    limit: int | None = None


SECTIONS: dict[str, Callable[[BenchConfig], Figures]] = {}


def section(name: str) -> Callable[[Callable[[BenchConfig], Figures]], Callable[[BenchConfig], Figures]]:
    """Register a bench section under `name` (runs in the order registered)."""

    def decorate(func: Callable[[BenchConfig], Figures]) -> Callable[[BenchConfig], Figures]:
        SECTIONS[name] = func
        return func

    return decorate


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_STARTUP_PROBE = """
import json, sys, time
t0 = time.perf_counter()
import wortlaut.api
from wortlaut.pipeline import load_pipeline
t1 = time.perf_counter()
pipeline = load_pipeline({extractor!r})
t2 = time.perf_counter()
from wortlaut.document import Document
pipeline(Document(text="Sie sagte, es sei gut."))
t3 = time.perf_counter()
print(json.dumps({{"import_s": t1 - t0, "load_pipeline_s": t2 - t1, "first_document_s": t3 - t2,
                  "pipeline": pipeline.names}}))
"""


@section("startup")
def startup(config: BenchConfig) -> Figures:
    """Cold start in a fresh interpreter: import, building the pipeline, and the first (lazy-loading) document."""
    probe = _STARTUP_PROBE.format(extractor=config.extractor)
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    figures["total_s"] = figures["import_s"] + figures["load_pipeline_s"] + figures["first_document_s"]
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}


def bench_texts(config: BenchConfig) -> list[str]:
    """The articles' original texts, without their annotations."""
    from .gold import read_gold

    return [doc.text for doc in read_gold(config.gold, limit=config.limit)]


@section("analyze")
def analyze_throughput(config: BenchConfig) -> Figures:
    """Warm throughput of the whole pipeline over the gold articles, and the memory it takes."""
    from .document import Document
    from .pipeline import load_pipeline

    texts = bench_texts(config)
    pipeline = load_pipeline(config.extractor)
    pipeline(Document(text="Er sagte, es sei gut."))  # load lazy resources outside the timed part
    rss_before = peak_rss_mb()
    start = time.perf_counter()
    tokens = quotations = 0
    for text in texts:
        doc = pipeline(Document(text=text))
        tokens += len(doc.tokens)
        quotations += len(doc.quotations)
    seconds = time.perf_counter() - start
    rss_after = peak_rss_mb()
    return {
        "pipeline": " → ".join(pipeline.names),
        "articles": len(texts),
        "tokens": tokens,
        "quotations": quotations,
        "seconds": round(seconds, 3),
        "articles_per_s": round(len(texts) / seconds, 2) if seconds else None,
        "tokens_per_s": round(tokens / seconds, 1) if seconds else None,
        "peak_rss_mb": round(rss_after, 1),
        "peak_rss_delta_mb": round(rss_after - rss_before, 1),
    }


def children_peak_rss_mb() -> dict[int, float]:
    """Peak resident memory (VmHWM) of each live child process, read from /proc (Linux; empty elsewhere)."""
    peaks: dict[int, float] = {}
    for children in Path("/proc/self/task").glob("*/children"):
        for pid in children.read_text().split():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:  # the child ended between the two reads
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peaks[int(pid)] = int(line.split()[1]) / 1024
    return peaks


PARALLEL_WORKERS = 2


@section("analyze-parallel")
def analyze_parallel(config: BenchConfig) -> Figures:
    """analyze_many with PARALLEL_WORKERS processes, in a fresh interpreter so no earlier section's warm
    memos are inherited by the forked workers."""
    probe = f"import json; from wortlaut.bench import parallel_throughput as p; print(json.dumps(p({config!r})))"
    out = subprocess.run([sys.executable, "-c", f"from wortlaut.bench import BenchConfig; from pathlib import PosixPath; {probe}"],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def parallel_throughput(config: BenchConfig, workers: int = PARALLEL_WORKERS) -> Figures:
    """Throughput of a worker pool after the pipeline has loaded (starting the pool is included), and the
    memory of the parent plus every worker (summed peaks; pages shared after fork count once per process)."""
    from .api import analyze_many
    from .document import Document
    from .pipeline import load_pipeline

    texts = bench_texts(config)
    load_pipeline(config.extractor)(Document(text="Er sagte, es sei gut."))
    worker_peaks: dict[int, float] = {}
    tokens = 0
    start = time.perf_counter()
    for doc in analyze_many((Document(text=t) for t in texts), extractor=config.extractor, workers=workers):
        tokens += len(doc.tokens)
        worker_peaks.update(children_peak_rss_mb())  # while the workers live; VmHWM only grows
    seconds = time.perf_counter() - start
    return {
        "workers": workers,
        "articles": len(texts),
        "tokens": tokens,
        "seconds": round(seconds, 3),
        "articles_per_s": round(len(texts) / seconds, 2) if seconds else None,
        "tokens_per_s": round(tokens / seconds, 1) if seconds else None,
        "peak_rss_total_mb": round(peak_rss_mb() + sum(worker_peaks.values()), 1),
    }


def run(config: BenchConfig, only: Iterable[str] | None = None) -> dict[str, Figures]:
    """Run the selected sections (all when `only` is empty) and collect their figures by name."""
    names = list(only or SECTIONS)
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        raise KeyError(f"unknown bench section(s) {', '.join(unknown)} (known: {', '.join(SECTIONS)})")
    return {name: SECTIONS[name](config) for name in names}


def table(results: dict[str, Figures]) -> Table:
    out = Table(title="wortlaut bench")
    out.add_column("section")
    out.add_column("figure")
    out.add_column("value", justify="right")
    for name, figures in results.items():
        for n, (key, value) in enumerate(figures.items()):
            out.add_row(name if n == 0 else "", key, str(value))
    return out


# Sections that live next to the code they measure register themselves when imported here.
from . import batch_bench  # noqa: E402,F401  (Spark scaling; pyspark is imported only when it runs)
from .store import bench as store_bench  # noqa: E402,F401  (ingest rate, search latency)
