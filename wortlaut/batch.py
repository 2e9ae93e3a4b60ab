"""Batch analysis on Apache Spark: many articles in, Parquet tables partitioned by date out.

The per-article work is `wortlaut ingest`'s (same readers, same language check and analysis step from
`wortlaut.analyse_step`: a non-German article is skipped with its reason, a very long one is analysed in
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
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import date as Date, datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

from .analyse_step import PIECE_CHARS, analyse, not_german
from .document import PARTS, Document, Entity, Quotation, Span
from .ingest import IngestError, InputError, expand, parse_jsonl_record, read_path
from .pipeline import load_pipeline

MARKER = "_wortlaut_batch.json"
BAD_RECORDS = "_bad_records.txt"
UNKNOWN_DATE = "unknown"
TABLES = ("articles", "quotations", "spans", "speakers")
PARQUET_SUFFIXES = {".parquet", ".parq"}
PARQUET_FIELDS = ("text", "id", "title", "date", "url", "source", "author")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")

# Spark SQL DDL schemas; `date` (the partition column) comes last in every table.
SCHEMAS = {
    "articles": "article_id string, title string, published string, url string, source string, "
    "author string, text string, n_quotations int, date string",
    "quotations": "article_id string, quotation_id string, position int, type string, medium string, "
    "speaker_entity_id string, nested_in string, confidence double, date string",
    "spans": "article_id string, quotation_id string, part string, position int, start int, end int, "
    "text string, date string",
    "speakers": "article_id string, entity_id string, position int, name string, kind string, "
    "descriptors array<string>, aliases array<string>, date string",
}


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


def partition_date(published: str | None) -> str:
    """The partition key: the YYYY-MM-DD prefix of the article's date, or 'unknown'."""
    if published and _DAY.match(published):
        return published[:10]
    return UNKNOWN_DATE


def is_parquet(path: Path) -> bool:
    return path.suffix.lower() in PARQUET_SUFFIXES


def is_hidden_or_meta(path: Path) -> bool:
    """Hadoop/Spark side files (_SUCCESS, _metadata, .crc) are not articles."""
    return path.name.startswith(("_", "."))


def list_inputs(sources: Iterable[str]) -> tuple[list[str], list[str]]:
    """(parquet files, other files): directories are walked like `wortlaut analyze` walks them."""
    parquet, other = [], []
    for source in sources:
        if source == "-":
            raise BatchError("batch reads files, not stdin ('-')")
        for path in expand(source):
            path = Path(path)
            if not path.exists():
                raise BatchError(f"{path}: no such file or directory")
            if is_hidden_or_meta(path):
                continue
            (parquet if is_parquet(path) else other).append(str(path.resolve()))
    return parquet, other


def read_file(path: str) -> Iterator[Document | IngestError]:
    """One JSONL/WARC/text/HTML file through the same reader `wortlaut analyze` uses."""
    yield from read_path(Path(path))


def _plain(value: Any) -> Any:
    """Parquet dates and timestamps become ISO strings, as the JSONL contract has them."""
    if isinstance(value, (Date, datetime)):
        return value.isoformat()
    return value


def local_path(uri: str) -> str:
    """Spark reports local files as file:/path; error lines name the path the user gave."""
    return uri.removeprefix("file://").removeprefix("file:")


def parquet_record(row: Any) -> Document | IngestError:
    """One Parquet row (text + optional metadata columns) through the JSONL record parser."""
    values = row.asDict(recursive=True)
    meta = values.pop("_metadata")
    where = f"{local_path(meta['file_path'])}:row {meta['row_index'] + 1}"
    record = {name: _plain(value) for name, value in values.items() if value is not None}
    try:
        return parse_jsonl_record(record)
    except InputError as err:
        return IngestError(where, str(err))


# ---------------------------------------------------------------- analysis and flattening (executors)


def article_row(doc: Document, day: str) -> tuple:
    return (doc.id, doc.title, doc.date, doc.url, doc.source, doc.author, doc.text, len(doc.quotations), day)


def quotation_rows(doc: Document, day: str) -> list[tuple]:
    return [
        (
            doc.id,
            q.id,
            n,
            q.type,
            q.medium,
            q.speaker_entity.id if q.speaker_entity else None,
            q.nested_in,
            float(q.confidence),
            day,
        )
        for n, q in enumerate(doc.quotations)
    ]


def span_rows(doc: Document, day: str) -> list[tuple]:
    return [
        (doc.id, q.id, part, n, s.start, s.end, s.text, day)
        for q in doc.quotations
        for part in PARTS
        for n, s in enumerate(q.part(part))
    ]


def speakers_of(doc: Document) -> list[Entity]:
    """The article's entities, plus any quotation's speaker entity the resolver did not list."""
    entities = {e.id: e for e in doc.entities}
    for q in doc.quotations:
        if q.speaker_entity and q.speaker_entity.id not in entities:
            entities[q.speaker_entity.id] = q.speaker_entity
    return list(entities.values())


def speaker_rows(doc: Document, day: str) -> list[tuple]:
    return [
        (doc.id, e.id, n, e.name, e.kind, list(e.descriptors), list(e.aliases), day)
        for n, e in enumerate(speakers_of(doc))
    ]


def table_rows(doc: Document) -> dict[str, list[tuple]]:
    """An analysed Document as rows of the four tables (tokens are dropped: they are not in the contract)."""
    day = partition_date(doc.date)
    return {
        "articles": [article_row(doc, day)],
        "quotations": quotation_rows(doc, day),
        "spans": span_rows(doc, day),
        "speakers": speaker_rows(doc, day),
    }


def item_key(item: Document | IngestError) -> str:
    """Partitioning key: every copy of an article id meets in the same partition, where repeats are caught."""
    return str(item) if isinstance(item, IngestError) else f"id:{item.id}"


def analysed_record(doc: Document, extractor: str | None, piece_chars: int) -> tuple:
    """('ok', rows) for a German article, ('not_german', line) for another, ('error', line) when its
    analysis fails: the checks and the step `wortlaut ingest` runs, so both treat an article alike."""
    try:
        reason = not_german(doc.text)
        if reason:
            return ("not_german", f"article {doc.id}: {reason}; skipped")
        return ("ok", table_rows(analyse(doc, load_pipeline(extractor), piece_chars)))
    except Exception as err:  # noqa: BLE001 — a bad article is reported and counted, the job goes on
        return ("error", f"article {doc.id}: analysis failed ({type(err).__name__}: {err})")


def analyse_partition(
    items: Iterable[Document | IngestError], extractor: str | None, piece_chars: int
) -> Iterator[tuple]:
    """One record per item: ('ok', rows) per analysed article, ('error' or 'not_german', line) per record
    left out; one failing article never stops the rest.

    The pipeline is cached per process, so the model loads once per Python worker. An id seen before in
    the partition is a bad record: the tables join on it, so it must name one article.
    """
    seen: set[str] = set()
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


def record_counts(record: tuple) -> tuple[int, int, int, int]:
    """(articles, quotations, records left out, of them not German) contributed by one analysed record."""
    kind, payload = record
    if kind == "ok":
        return (1, len(payload["quotations"]), 0, 0)
    return (0, 0, 1, int(kind == "not_german"))


def add_counts(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(x + y for x, y in zip(a, b))


def spark_session(master: str = "local[*]", conf: dict[str, str] | None = None, app_name: str = "wortlaut batch"):
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


def source_items(spark, sources: Iterable[str], partitions: int):
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


def write_table(spark, analysed, name: str, output: Path) -> None:
    """One table, one Parquet file per date partition (repartitioned by date to avoid many small files)."""
    rows = analysed.filter(lambda r: r[0] == "ok").flatMap(lambda r: r[1][name])
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
    spark,
    sources: list[str],
    output: str | Path,
    *,
    extractor: str | None = None,
    partitions: int | None = None,
    piece_chars: int = PIECE_CHARS,
) -> BatchResult:
    """Analyse every German article in `sources` on Spark and write the four tables under `output`;
    articles longer than `piece_chars` are analysed in paragraph-aligned pieces."""
    from pyspark import StorageLevel

    started = time.perf_counter()
    output = Path(output).resolve()
    check_output_dir(output)
    components = load_pipeline(extractor).names  # fail fast on the driver if the extractor cannot load
    sc = spark.sparkContext
    partitions = partitions or sc.defaultParallelism * 3
    items = source_items(spark, sources, partitions)
    analysed = items.mapPartitions(lambda part: analyse_partition(part, extractor, piece_chars))
    analysed.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        articles, quotations, failed, not_german = analysed.map(record_counts).fold((0, 0, 0, 0), add_counts)
        for name in TABLES:
            write_table(spark, analysed, name, output)
        errors = analysed.filter(lambda r: r[0] != "ok").map(lambda r: r[1]).collect()
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


# ---------------------------------------------------------------- reading the output back (no Spark needed)


def is_batch_output(path: str | Path) -> bool:
    return (Path(path) / MARKER).is_file()


def output_days(root: Path) -> list[str]:
    """Partition values present in the articles table, in sorted order ('unknown' sorts after dates)."""
    days = [p.name.split("=", 1)[1] for p in (root / "articles").iterdir() if p.is_dir() and p.name.startswith("date=")]
    return sorted(days)


def read_partition(root: Path, table: str, day: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    folder = root / table / f"date={day}"
    if not folder.is_dir():
        return []
    return pq.read_table(folder, partitioning=None).to_pylist()


def group_by(rows: list[dict[str, Any]], *keys: str) -> dict[tuple, list[dict[str, Any]]]:
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row[k] for k in keys), []).append(row)
    return groups


def rebuild_entities(rows: list[dict[str, Any]]) -> list[Entity]:
    return [
        Entity(r["entity_id"], r["name"], r["kind"], list(r["descriptors"] or []), list(r["aliases"] or []))
        for r in sorted(rows, key=lambda r: r["position"])
    ]


def rebuild_quotation(row: dict[str, Any], spans: list[dict[str, Any]], entities: dict[str, Entity]) -> Quotation:
    parts: dict[str, list[Span]] = {p: [] for p in PARTS}
    for s in sorted(spans, key=lambda s: (s["part"], s["position"])):
        parts[s["part"]].append(Span(s["start"], s["end"], s["text"]))
    entity_id = row["speaker_entity_id"]
    return Quotation(
        id=row["quotation_id"],
        type=row["type"],
        medium=row["medium"],
        speaker_entity=entities.get(entity_id) if entity_id else None,
        nested_in=row["nested_in"],
        confidence=row["confidence"],
        **parts,
    )


def documents_of_day(root: Path, day: str) -> Iterator[Document]:
    """Every article of one date partition, rebuilt with its quotations, spans and speaker entities."""
    quotations = group_by(read_partition(root, "quotations", day), "article_id")
    spans = group_by(read_partition(root, "spans", day), "article_id", "quotation_id")
    speakers = group_by(read_partition(root, "speakers", day), "article_id")
    for art in sorted(read_partition(root, "articles", day), key=lambda a: a["article_id"]):
        key = art["article_id"]
        entities = rebuild_entities(speakers.get((key,), []))
        by_id = {e.id: e for e in entities}
        rows = sorted(quotations.get((key,), []), key=lambda q: q["position"])
        yield Document(
            text=art["text"],
            id=key,
            title=art["title"],
            date=art["published"],
            url=art["url"],
            source=art["source"],
            author=art["author"],
            quotations=[rebuild_quotation(q, spans.get((key, q["quotation_id"]), []), by_id) for q in rows],
            entities=entities,
        )


def read_output(path: str | Path) -> Iterator[Document]:
    """The analysed Documents of a finished batch job, one date partition in memory at a time."""
    root = Path(path)
    if not is_batch_output(root):
        raise BatchError(f"{root}: not a finished wortlaut batch output (no {MARKER})")
    for day in output_days(root):
        yield from documents_of_day(root, day)


def read_marker(path: str | Path) -> dict[str, Any]:
    return json.loads((Path(path) / MARKER).read_text(encoding="utf-8"))


def ingest_output(store, path: str | Path):  # type: ignore[no-untyped-def]
    """Load a finished batch output into the store as it is (no re-analysis); returns an IngestReport."""
    from .store.ingest import IngestReport

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
