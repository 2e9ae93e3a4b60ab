"""The `wortlaut` command line: a thin typer layer over the library API."""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Iterator, List, Optional

import typer
from rich.console import Console
from rich.table import Table

from .api import analyze_many
from .document import Document
from .ingest import IngestError, read_sources

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
err_console = Console(stderr=True)


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


def report_error(error: IngestError) -> None:
    """One line per bad input on stderr; the batch goes on."""
    err_console.print(f"[red]error[/red]: {error}", highlight=False, soft_wrap=True)


def documents_or_report(sources: List[str], stats: dict[str, int]) -> Iterator[Document]:
    """Documents from the sources; errors are reported and counted, never raised."""
    for item in read_sources(sources):
        if isinstance(item, IngestError):
            report_error(item)
            stats["failed"] += 1
        else:
            stats["read"] += 1
            yield item


def quotation_table(doc: Document) -> Table:
    table = Table(title=f"{doc.title or doc.id} ({doc.date or 'no date'})", show_lines=False, expand=True)
    table.add_column("speaker", style="bold", ratio=2)
    table.add_column("entity", ratio=2)
    table.add_column("type", ratio=2)
    table.add_column("quote", ratio=8)
    for q in doc.quotations:
        entity = q.speaker_entity.name if q.speaker_entity else "–"
        nested = " ↳" if q.nested_in else ""
        table.add_row(q.speaker_text or "–", entity, q.type + nested, q.quote_text)
    return table


@app.command()
def analyze(
    paths: List[str] = typer.Argument(..., help="Files, directories, or '-' for stdin."),
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    extractor: Optional[str] = typer.Option(None, help="Extractor name (default: the trained model)."),
) -> None:
    """Print every quotation in German articles (.txt, .html, .jsonl, feeds, WARC, '-')."""
    stats = {"read": 0, "failed": 0}
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    console = Console(file=out, width=160 if output else None)
    docs = analyze_many(documents_or_report(paths, stats), extractor=extractor)
    try:
        if format is OutputFormat.table:
            for doc in docs:
                console.print(quotation_table(doc))
        elif format is OutputFormat.jsonl:
            for doc in docs:
                out.write(json.dumps(doc.to_json(), ensure_ascii=False) + "\n")
        else:
            out.write("[")
            for n, doc in enumerate(docs):
                out.write(("," if n else "") + "\n" + json.dumps(doc.to_json(), ensure_ascii=False, indent=2))
            out.write("\n]\n")
    finally:
        if output:
            out.close()
    if stats["read"] == 0:
        raise typer.Exit(1)


@app.command("eval")
def eval_command(
    gold: Path = typer.Argument(..., help="Gold JSONL in the dataset's format (e.g. dev.jsonl)."),
    extractor: Optional[str] = typer.Option(None, help="Extractor name (default: the trained model)."),
    json_output: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    limit: Optional[int] = typer.Option(None, help="Only the first N documents."),
) -> None:
    """Score the pipeline against gold quotations: token P/R/F1 per part, attribution, type accuracy."""
    from .evaluate import evaluate_extractor

    report = evaluate_extractor(gold, extractor=extractor, limit=limit)
    if json_output:
        print(json.dumps(report.to_json(), indent=2))
    else:
        Console().print(report.table(title=f"{gold.name} ({extractor or 'default'} extractor)"))


@app.command("bench")
def bench_command(
    gold: Optional[Path] = typer.Option(None, help="Articles to analyse (default: the dataset's dev.jsonl)."),
    extractor: Optional[str] = typer.Option(None, help="Extractor name (default: the trained model)."),
    json_output: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    only: List[str] = typer.Option([], "--only", help="Run only this section (repeatable)."),
    limit: Optional[int] = typer.Option(None, help="Only the first N articles."),
) -> None:
    """Start-up time, throughput (articles/s, tokens/s) and peak memory of the pipeline."""
    from .bench import DEFAULT_GOLD, BenchConfig, run, table

    try:
        results = run(BenchConfig(gold=gold or DEFAULT_GOLD, extractor=extractor, limit=limit), only)
    except KeyError as err:
        err_console.print(f"[red]error[/red]: {err.args[0]}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    if json_output:
        print(json.dumps(results, indent=2))
    else:
        Console().print(table(results))


@app.command()
def batch(
    inputs: List[str] = typer.Argument(..., help="JSONL, Parquet (a 'text' column) or WARC files, or directories."),
    output: Path = typer.Option(..., "--output", "-o", help="New directory for the Parquet tables."),
    master: str = typer.Option("local[*]", help="Spark master: local[N] or spark://HOST:PORT."),
    extractor: Optional[str] = typer.Option(None, help="Extractor name (default: the trained model)."),
    partitions: Optional[int] = typer.Option(None, help="Analysis partitions (default: 3 x cores)."),
    conf: List[str] = typer.Option([], "--conf", help="Extra Spark setting KEY=VALUE (repeatable)."),
) -> None:
    """Analyse many articles on Spark; write articles/quotations/spans/speakers Parquet tables by date."""
    from .batch import BatchError, run_batch, spark_session

    settings = dict(item.split("=", 1) for item in conf)
    spark = spark_session(master, settings)
    try:
        result = run_batch(spark, inputs, output, extractor=extractor, partitions=partitions)
    except BatchError as err:
        err_console.print(f"[red]error[/red]: {err}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    finally:
        spark.stop()
    for line in result.errors:
        err_console.print(f"[red]error[/red]: {line}", highlight=False, soft_wrap=True)
    err_console.print(
        f"{result.articles} articles, {result.quotations} quotations, {result.failed} bad records "
        f"in {result.seconds:.1f}s → {result.output}",
        highlight=False,
    )
    if result.articles == 0:
        raise typer.Exit(1)


@app.command()
def serve(
    db: Optional[str] = typer.Option(None, "--db", help="SQLite file or postgresql:// URL (default: $WORTLAUT_DB or ./wortlaut.sqlite)."),
    host: str = typer.Option("127.0.0.1", help="Interface to listen on (the default keeps it on this machine)."),
    port: int = typer.Option(8000, min=0, max=65535, help="TCP port."),
) -> None:
    """The web interface: articles with highlighted quotations, speakers, search, network, and the JSON API."""
    import uvicorn

    from .store import open_store
    from .web.app import create_app

    with open_store(db) as store:
        err_console.print(f"serving {store.url} on http://{host}:{port}/ (API docs at /docs)", highlight=False)
        uvicorn.run(create_app(store), host=host, port=port, log_level="warning")


def main() -> None:
    app()
