"""`wortlaut analyze`: quotations of articles printed, nothing stored."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.console import Console

from .. import api
from ..api import IngestError
from ..document import Document
from .common import TIME_LIMIT_OPTION, WORKERS_OPTION, OutputFormat, err_console, quotation_table, workers_for

commands: typer.Typer = typer.Typer()


def report_error(error: IngestError | api.AnalysisTimeout) -> None:
    """One line per bad input on stderr; the batch goes on."""
    err_console.print(f"[red]error[/red]: {error}", highlight=False, soft_wrap=True)


def documents_or_report(sources: list[str], stats: dict[str, int]) -> Iterator[Document]:
    """Documents from the sources; errors are reported and counted, never raised."""
    for item in api.read(sources):
        if isinstance(item, IngestError):
            report_error(item)
            stats["failed"] += 1
        else:
            stats["read"] += 1
            yield item


@commands.command()
def analyze(
    paths: list[str] = typer.Argument(..., help="Files, directories, or '-' for stdin."),
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    extractor: str | None = typer.Option(None, help="Extractor name (default: the trained model)."),
    workers: int = WORKERS_OPTION,
    time_limit: float = TIME_LIMIT_OPTION,
) -> None:
    """Print every quotation in German articles (.txt, .html, .jsonl, feeds, WARC, '-')."""
    stats = {"read": 0, "failed": 0}
    workers = workers_for(workers, None if workers else api.estimate_articles(None, paths))
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    console = Console(file=out, width=160 if output else None)
    docs = api.analyze_many(
        documents_or_report(paths, stats),
        extractor=extractor,
        workers=workers,
        time_limit=time_limit,
        on_timeout=report_error,
    )
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
