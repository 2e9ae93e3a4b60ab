"""`wortlaut bench` analysis sections: cold start, single-process throughput, and a worker pool's."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from .. import api
from ..document import Document
from .common import BenchConfig, Figures, bench_texts, peak_rss_mb

_STARTUP_PROBE = """
import json, sys, time
t0 = time.perf_counter()
import wortlaut.api as api
t1 = time.perf_counter()
names = api.pipeline_names({extractor!r})
t2 = time.perf_counter()
api.analyze("Sie sagte, es sei gut.", extractor={extractor!r})
t3 = time.perf_counter()
print(json.dumps({{"import_s": t1 - t0, "load_pipeline_s": t2 - t1, "first_document_s": t3 - t2,
                  "pipeline": names}}))
"""


def startup(config: BenchConfig) -> Figures:
    """Cold start in a fresh interpreter: import, building the pipeline, and the first (lazy-loading) document."""
    probe = _STARTUP_PROBE.format(extractor=config.extractor)
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    figures["total_s"] = figures["import_s"] + figures["load_pipeline_s"] + figures["first_document_s"]
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}


def analyze_throughput(config: BenchConfig) -> Figures:
    """Warm throughput of the whole pipeline over the gold articles, and the memory it takes."""
    texts = bench_texts(config)
    names = api.pipeline_names(config.extractor)
    api.analyze("Er sagte, es sei gut.", extractor=config.extractor)  # load lazy resources outside the timed part
    rss_before = peak_rss_mb()
    start = time.perf_counter()
    tokens = quotations = 0
    for text in texts:
        doc = api.analyze(text, extractor=config.extractor)
        tokens += len(doc.tokens)
        quotations += len(doc.quotations)
    seconds = time.perf_counter() - start
    rss_after = peak_rss_mb()
    return {
        "pipeline": " → ".join(names),
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


def analyze_parallel(config: BenchConfig) -> Figures:
    """analyze_many with PARALLEL_WORKERS processes, in a fresh interpreter so no earlier section's warm
    memos are inherited by the forked workers."""
    probe = (
        f"import json; from wortlaut.bench.analyze import parallel_throughput as p; print(json.dumps(p({config!r})))"
    )
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from wortlaut.bench.common import BenchConfig; from pathlib import PosixPath; {probe}",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: Figures = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def parallel_throughput(config: BenchConfig, workers: int = PARALLEL_WORKERS) -> Figures:
    """Throughput of a worker pool after the pipeline has loaded (starting the pool is included), and the
    memory of the parent plus every worker (summed peaks; pages shared after fork count once per process)."""
    texts = bench_texts(config)
    api.analyze("Er sagte, es sei gut.", extractor=config.extractor)
    worker_peaks: dict[int, float] = {}
    tokens = 0
    start = time.perf_counter()
    for doc in api.analyze_many((Document(text=t) for t in texts), extractor=config.extractor, workers=workers):
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
