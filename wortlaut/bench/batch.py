"""`wortlaut bench --only batch`: Spark job throughput at 1 and 2 cores, and how well it scales.

The train and dev articles (850) are repeated under fresh ids to a few thousand, written as one JSONL file,
and pushed through the whole job (read → analyse → write the four Parquet tables) once per core count.
Python workers are warmed up first (pipeline loaded) so the figure is the steady rate a long job sees;
the warm-up time is reported separately. These figures feed the capacity plan in docs/scale.md.
"""

from __future__ import annotations

import json
import os
import resource
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import api
from .common import BenchConfig, Figures

if TYPE_CHECKING:  # pyspark starts slowly; imported only when a batch figure is measured
    from pyspark.sql import SparkSession

REPEAT = 3  # 850 articles x 3 = 2550
CORE_COUNTS = (1, 2)


def bench_records(config: BenchConfig) -> Iterator[dict[str, Any]]:
    """Train + dev articles as plain JSONL records, repeated REPEAT times with unique ids (capped by --limit)."""
    from ..readers import parse_jsonl_record

    folder = config.gold.parent
    docs = []
    for name in ("train.jsonl", "dev.jsonl"):
        with (folder / name).open(encoding="utf-8") as handle:
            docs += [parse_jsonl_record(json.loads(line)) for line in handle if line.strip()]
    count = 0
    for copy in range(REPEAT):
        for doc in docs:
            if config.limit is not None and count >= config.limit:
                return
            count += 1
            yield {"id": f"{doc.id}-{copy}", "title": doc.title, "date": doc.date, "text": doc.text}


def tree_cpu_seconds() -> float:
    """CPU seconds used by this process and all its descendants (the JVM, the Python workers), from /proc.

    Unlike wall-clock time this does not depend on what else the box is running, so articles per CPU-second
    is the figure a capacity plan can scale. Finished children count through their parent's cutime/cstime.
    """
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        ticks[pid] = sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    tree, frontier = set(), {os.getpid()}
    while frontier:
        tree |= frontier
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - tree
    return sum(ticks.get(pid, 0) for pid in tree) / os.sysconf("SC_CLK_TCK")


def worker_peak_rss_mb(spark: SparkSession, cores: int) -> float:
    """Largest peak RSS among the (reused) Python workers: what each executor core needs beside the JVM."""
    rss = (
        spark.sparkContext.parallelize(range(cores), cores)
        .map(lambda _: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        .collect()
    )
    return round(max(rss), 1)


def warm_up(spark: SparkSession, cores: int, extractor: str | None) -> float:
    """Start the Python workers and load the pipeline in each, outside the timed run."""

    def load_pipeline(_: int) -> None:
        api.pipeline_names(extractor)

    start = time.perf_counter()
    spark.sparkContext.parallelize(range(cores), cores).foreach(load_pipeline)
    return time.perf_counter() - start


def directory_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*.parquet")) / 1e6


def timed_job(source: Path, output: Path, cores: int, extractor: str | None) -> Figures:
    """One full batch job on local[cores] in its own SparkSession."""
    from ..batch import run_batch, spark_session

    load = os.getloadavg()[0]  # other processes on the box skew the figures; say how busy it was
    spark = spark_session(f"local[{cores}]", {"spark.sql.shuffle.partitions": str(2 * cores)})
    try:
        warm = warm_up(spark, cores, extractor)
        start, cpu_start = time.perf_counter(), tree_cpu_seconds()
        result = run_batch(spark, [str(source)], output, extractor=extractor)
        seconds, cpu = time.perf_counter() - start, tree_cpu_seconds() - cpu_start
        rss = worker_peak_rss_mb(spark, cores)
    finally:
        spark.stop()
    return {
        "articles": result.articles,
        "quotations": result.quotations,
        "seconds": round(seconds, 2),
        "articles_per_s": round(result.articles / seconds, 2),
        "cpu_s": round(cpu, 1),
        "articles_per_cpu_s": round(result.articles / cpu, 2),
        "warmup_s": round(warm, 2),
        "worker_peak_rss_mb": rss,
        "output_mb": round(directory_mb(output), 2),
        "host_load_1min": round(load, 2),
        "components": " → ".join(result.components),
    }


def batch_scaling(config: BenchConfig) -> Figures:
    """Spark batch throughput (articles/s) at 1 and 2 local cores and the 2-core/1-core scaling ratio."""
    figures: Figures = {}
    with tempfile.TemporaryDirectory(prefix="wortlaut-bench-batch-") as tmp:
        source = Path(tmp) / "articles.jsonl"
        with source.open("w", encoding="utf-8") as out:
            for record in bench_records(config):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        figures["input_mb"] = round(source.stat().st_size / 1e6, 2)
        for cores in CORE_COUNTS:
            run = timed_job(source, Path(tmp) / f"out-{cores}", cores, config.extractor)
            figures["articles"] = run.pop("articles")
            figures["pipeline"] = run.pop("components")
            figures.update({f"{key}_{cores}core": value for key, value in run.items()})
    first, last = CORE_COUNTS[0], CORE_COUNTS[-1]
    figures["scaling_ratio"] = round(figures[f"articles_per_s_{last}core"] / figures[f"articles_per_s_{first}core"], 2)
    return figures
