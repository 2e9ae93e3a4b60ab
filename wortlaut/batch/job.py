"""Batch analysis on Apache Spark: many articles in, Parquet tables partitioned by date out.

The per-article work is `wortlaut ingest`'s (same readers, same language check and analysis step from
`wortlaut.pipeline.analyse_article`: a non-German article is skipped with its reason, a very long one is analysed in
paragraph-aligned pieces), run inside plain RDD `mapPartitions` so each Python worker loads the pipeline
once (`load_pipeline` is cached per process and Spark reuses its Python workers) instead of once per row.
The output directory holds four tables that join on `article_id` — articles, quotations, spans, speakers —
each partitioned as `date=YYYY-MM-DD` (or `date=unknown` for articles without a usable date), plus a
`_wortlaut_batch.json` marker written last: a directory without the marker is an unfinished job, and
`read_output` / `wortlaut ingest` refuse it.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .. import api
from ..document import Document
from ..readers import IngestError, expand, read_path
from ..readers.batch_output import MARKER
from ..readers.files import file_id
from ..readers.parquet import PARQUET_FIELDS, is_parquet, parquet_record
from .tables import BAD_RECORDS, SCHEMAS, TABLES, UNKNOWN_DATE, Row, table_rows

if TYPE_CHECKING:  # pyspark is imported where first used: starting it is slow and most callers never do
    from pyspark import RDD
    from pyspark.sql import SparkSession

#: ('ok', rows per table) for an analysed article; ('error' or 'not_german', one line) for a record left out.
Record = tuple[Literal["ok"], dict[str, list[Row]]] | tuple[Literal["error", "not_german"], str]
#: (articles, quotations, records left out, of them not German).
Counts = tuple[int, int, int, int]


class BatchError(RuntimeError):
    """A problem with the whole job (not one record): unusable output directory, no input, unfinished output."""


@dataclass
class BatchResult:
    """What a finished job wrote; `errors` holds one line per record left out of the tables (`failed` of
    them, `not_german` of which were skipped by the language check), in no particular order."""

    output: str
    articles: int = 0
    quotations: int = 0
    failed: int = 0
    not_german: int = 0
    components: list[str] = field(default_factory=list)
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- reading (runs on executors)


def is_hidden_or_meta(path: Path) -> bool:
    """Hadoop/Spark side files (_SUCCESS, _metadata, .crc) are not articles."""
    return path.name.startswith(("_", "."))


def list_inputs(sources: Iterable[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """(parquet files, (other file, id of its article)): directories are walked like `wortlaut analyze` walks
    them, so a text or HTML file's id is its path below the folder given, as in `ingest`."""
    parquet: list[str] = []
    other: list[tuple[str, str]] = []
    for source in sources:
        if source == "-":
            raise BatchError("batch reads files, not stdin ('-')")
        for path in expand(source):
            path = Path(path)
            if not path.exists():
                raise BatchError(f"{path}: no such file or directory")
            if is_hidden_or_meta(path):
                continue
            if is_parquet(path):
                parquet.append(str(path.resolve()))
            else:
                other.append((str(path.resolve()), file_id(path, Path(source))))
    return parquet, other


def read_file(item: tuple[str, str]) -> Iterator[Document | IngestError]:
    """One JSONL/WARC/text/HTML file through the same reader `wortlaut analyze` uses."""
    path, doc_id = item
    yield from read_path(Path(path), doc_id)


# ---------------------------------------------------------------- analysis and flattening (executors)


def item_key(item: Document | IngestError) -> str:
    """Partitioning key: every copy of an article id meets in the same partition, where repeats are caught."""
    return str(item) if isinstance(item, IngestError) else f"id:{item.id}"


def analysed_record(doc: Document, extractor: str | None, piece_chars: int | None) -> Record:
    """('ok', rows) for a German article, ('not_german', line) for another, ('error', line) when its
    analysis fails: the checks and the step `wortlaut ingest` runs, so both treat an article alike."""
    try:
        reason = api.not_german(doc.text)
        if reason:
            return ("not_german", f"article {doc.id}: {reason}; skipped")
        return ("ok", table_rows(api.analyze_article(doc, extractor=extractor, piece_chars=piece_chars)))
    except Exception as err:
        return ("error", f"article {doc.id}: analysis failed ({type(err).__name__}: {err})")


def analyse_partition(
    items: Iterable[Document | IngestError], extractor: str | None, piece_chars: int | None
) -> Iterator[Record]:
    """One record per item: ('ok', rows) per analysed article, ('error' or 'not_german', line) per record
    left out; one failing article never stops the rest.

    The pipeline is cached per process, so the model loads once per Python worker. An id seen before in
    the partition is a bad record: the tables join on it, so it must name one article.
    """
    seen: set[str | None] = set()
    for item in items:
        if isinstance(item, IngestError):
            yield ("error", str(item))
            continue
        if item.id in seen:
            yield ("error", f"article {item.id}: duplicate id, another article in this job has it; skipped")
            continue
        seen.add(item.id)
        yield analysed_record(item, extractor, piece_chars)


# ---------------------------------------------------------------- the job (driver)


def record_counts(record: Record) -> Counts:
    """The counts one analysed record contributes."""
    if record[0] == "ok":
        return (1, len(record[1]["quotations"]), 0, 0)
    return (0, 0, 1, int(record[0] == "not_german"))


def add_counts(a: Counts, b: Counts) -> Counts:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3])


def table_of(record: Record, name: str) -> list[Row]:
    """The rows of table `name` an analysed record adds (none for a record left out)."""
    return record[1][name] if record[0] == "ok" else []


def left_out(record: Record) -> list[str]:
    """The line saying why a record was left out (none for an analysed article)."""
    return [] if record[0] == "ok" else [record[1]]


def spark_session(
    master: str = "local[*]", conf: dict[str, str] | None = None, app_name: str = "wortlaut batch"
) -> SparkSession:
    """A SparkSession with modest defaults for a shared box; `conf` overrides them."""
    from pyspark.sql import SparkSession

    # Workers must run this interpreter (the one with wortlaut and its models installed); pyspark
    # otherwise starts whatever `python3` is first on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    settings = {
        "spark.driver.memory": "1g",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": "4",
        "spark.python.worker.reuse": "true",
    }
    settings.update(conf or {})
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def check_output_dir(output: Path) -> None:
    """Refuse to mix two jobs' tables in one directory."""
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise BatchError(f"{output}: output directory exists and is not empty")


def source_items(spark: SparkSession, sources: Iterable[str], partitions: int) -> RDD[Document | IngestError]:
    """An RDD of Document | IngestError from every input file, spread over `partitions` partitions."""
    parquet, other = list_inputs(sources)
    if not parquet and not other:
        raise BatchError("no input files found")
    sc = spark.sparkContext
    rdds = []
    if other:
        rdds.append(sc.parallelize(other, len(other)).flatMap(read_file))
    if parquet:
        frame = spark.read.option("mergeSchema", "true").parquet(*parquet)
        if "text" not in frame.columns:
            raise BatchError(f"Parquet input has no 'text' column (columns: {', '.join(frame.columns)})")
        columns = [c for c in PARQUET_FIELDS if c in frame.columns] + ["_metadata"]
        rdds.append(frame.select(*columns).rdd.map(parquet_record))
    items = rdds[0] if len(rdds) == 1 else sc.union(rdds)
    return items.keyBy(item_key).partitionBy(partitions).values()


def write_table(spark: SparkSession, analysed: RDD[Record], name: str, output: Path) -> None:
    """One table, one Parquet file per date partition (repartitioned by date to avoid many small files)."""
    rows = analysed.flatMap(lambda r: table_of(r, name))
    frame = spark.createDataFrame(rows, SCHEMAS[name], verifySchema=False)  # rows are built to the schema above
    frame.repartition("date").write.partitionBy("date").mode("errorifexists").parquet(str(output / name))


def write_marker(output: Path, result: BatchResult, sources: list[str]) -> None:
    """Written last: its presence says every table is complete."""
    marker = {
        "format": "wortlaut-batch",
        "version": 1,
        "tables": list(TABLES),
        "partitioned_by": "date",
        "unknown_date": UNKNOWN_DATE,
        "inputs": sources,
        **{k: v for k, v in asdict(result).items() if k not in ("errors", "output")},
    }
    (output / BAD_RECORDS).write_text("".join(f"{line}\n" for line in result.errors), encoding="utf-8")
    (output / MARKER).write_text(json.dumps(marker, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def run_batch(
    spark: SparkSession,
    sources: list[str],
    output: str | Path,
    *,
    extractor: str | None = None,
    partitions: int | None = None,
    piece_chars: int | None = None,
) -> BatchResult:
    """Analyse every German article in `sources` on Spark and write the four tables under `output`;
    articles longer than `piece_chars` are analysed in paragraph-aligned pieces."""
    from pyspark import StorageLevel

    started = time.perf_counter()
    output = Path(output).resolve()
    check_output_dir(output)
    components = api.pipeline_names(extractor)  # fail fast on the driver if the extractor cannot load
    sc = spark.sparkContext
    partitions = partitions or sc.defaultParallelism * 3
    items = source_items(spark, sources, partitions)
    analysed = items.mapPartitions(lambda part: analyse_partition(part, extractor, piece_chars))
    analysed.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        articles, quotations, failed, not_german = analysed.map(record_counts).fold((0, 0, 0, 0), add_counts)
        for name in TABLES:
            write_table(spark, analysed, name, output)
        errors = analysed.flatMap(left_out).collect()
    finally:
        analysed.unpersist()
    result = BatchResult(
        output=str(output),
        articles=articles,
        quotations=quotations,
        failed=failed,
        not_german=not_german,
        components=components,
        errors=sorted(errors),
    )
    result.seconds = round(time.perf_counter() - started, 3)
    write_marker(output, result, list(sources))
    return result
