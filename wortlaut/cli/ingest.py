"""Storing articles: `ingest` (analyse and store, or re-run the model over the store) and `batch` (analyse on
Spark into Parquet tables, which `ingest` then stores as they are)."""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from .. import api
from .common import (
    DB_OPTION,
    TIME_LIMIT_OPTION,
    WORKERS_OPTION,
    err_console,
    fail,
    open_store_or_exit,
    quotation_table,
    require_extra,
    workers_for,
)

commands: typer.Typer = typer.Typer()


@commands.command()
def batch(
    inputs: list[str] = typer.Argument(..., help="JSONL, Parquet (a 'text' column) or WARC files, or directories."),
    output: Path = typer.Option(..., "--output", "-o", help="New directory for the Parquet tables."),
    master: str = typer.Option("local[*]", help="Spark master: local[N] or spark://HOST:PORT."),
    extractor: str | None = typer.Option(None, help="Extractor name (default: the trained model)."),
    partitions: int | None = typer.Option(None, help="Analysis partitions (default: 3 x cores)."),
    conf: list[str] = typer.Option([], "--conf", help="Extra Spark setting KEY=VALUE (repeatable)."),
) -> None:
    """Analyse many articles on Spark; write articles/quotations/spans/speakers Parquet tables by date."""
    java = "Java (e.g. apt-get install default-jre-headless)"
    require_extra(("pyspark",), "spark", "wortlaut batch", f" and {java}")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        raise fail(f"wortlaut batch runs Spark, which needs {java}: no java on PATH and no $JAVA_HOME")
    from ..batch import BatchError, run_batch, spark_session

    if any("=" not in item for item in conf):
        raise typer.BadParameter("expected KEY=VALUE", param_hint="--conf")
    spark = spark_session(master, dict(item.split("=", 1) for item in conf))
    try:
        result = run_batch(spark, inputs, output, extractor=extractor, partitions=partitions)
    except BatchError as err:
        err_console.print(f"[red]error[/red]: {err}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    finally:
        spark.stop()
    for line in result.errors:
        err_console.print(f"[red]error[/red]: {line}", highlight=False, soft_wrap=True)
    err_console.print(
        f"{result.articles} articles, {result.quotations} quotations, {result.failed - result.not_german} bad "
        f"records, {result.not_german} skipped as not German in {result.seconds:.1f}s → {result.output}",
        highlight=False,
    )
    if result.articles == 0:
        raise typer.Exit(1)


class RateColumn(ProgressColumn):
    """Articles per second as the summary computes it (the bar's own speed estimate lags and jumps)."""

    def render(self, task: Task) -> Text:
        return Text(f"{articles_per_second(task.completed, task.elapsed):.1f} articles/s", style="cyan")


def ingest_progress(total: int | None) -> tuple[Progress, Callable[[str, str], None]]:
    """A rich progress bar on stderr with articles/s and ETA; returns (progress, callback)."""
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err_console,
    )
    task = progress.add_task("ingest", total=total)

    def callback(event: str, message: str) -> None:  # one event per article, plus notes (see ingest.Progress)
        if event == "note":
            progress.console.print(f"[yellow]note[/yellow]: {message}", highlight=False, soft_wrap=True)
        else:
            progress.advance(task)

    return progress, callback


def articles_per_second(articles: float, seconds: float | None) -> float:
    """The one rate the progress bar and the summary show: articles done over the time since the start."""
    return articles / seconds if seconds else 0.0


def print_ingest_summary(report: api.IngestReport) -> None:
    rate = articles_per_second(report.processed, report.seconds)
    err_console.print(
        f"[bold]{report.stored}[/bold] stored, {report.duplicate} skipped as duplicate, "
        f"{len(report.skipped)} skipped as not German, [bold]{len(report.failed)}[/bold] failed; "
        f"[bold]{report.quotations}[/bold] quotations by [bold]{report.speakers}[/bold] speakers stored "
        f"({report.processed} articles in {report.seconds:.1f}s, {rate:.1f} articles/s)",
        highlight=False,
    )
    for title, lines in (("not German", report.skipped), ("failed", report.failed)):
        for line in lines[:50]:
            err_console.print(f"  [red]{title}[/red]: {line}", highlight=False, soft_wrap=True)
        if len(lines) > 50:
            err_console.print(f"  … and {len(lines) - 50} more {title}", highlight=False)


def show_ingested(store: api.Store, article_ids: list[str], stored: int) -> None:
    """The quotation tables of the ingested articles, where they are stored, and a search to try (only when
    there is something in the store to search)."""
    console = Console()
    speakers: dict[str, int] = {}
    shown = 0
    for article_id in dict.fromkeys(article_ids):
        doc = store.article(article_id)
        if doc is None:
            continue
        shown += 1
        console.print(quotation_table(doc))
        for q in doc.quotations:
            if q.speaker_entity and q.speaker_entity.kind == "person":
                speakers[q.speaker_entity.name] = speakers.get(q.speaker_entity.name, 0) + 1
    if not shown:
        return
    where = store.url if "://" in store.url else str(Path(store.url).resolve())
    db = "" if store.url == api.default_store_url() else f" --db {shlex.quote(store.url)}"
    example = max(speakers, key=speakers.__getitem__) if speakers else None
    verb = "Stored in" if stored else "Already stored in"
    console.print(f"\n{verb} [bold]{where}[/bold]. Search it, for example:", highlight=False)
    if example:
        console.print(f"  wortlaut search --speaker {shlex.quote(example)}{db}", highlight=False, markup=False)
    console.print(f"  wortlaut search --type Direct{db}", highlight=False, markup=False)
    console.print(f"  wortlaut speakers{db}", highlight=False, markup=False)


@commands.command()
def ingest(
    sources: list[str] = typer.Argument(
        None, help="Files (.txt .html .jsonl .rss .atom .xml .warc .warc.gz), directories, '-'."
    ),
    db: str | None = DB_OPTION,
    extractor: str | None = typer.Option(None, help="Extractor name (default: the trained model)."),
    batch_size: int = typer.Option(20, min=1, help="Articles per transaction."),
    workers: int = WORKERS_OPTION,
    reanalyze: bool = typer.Option(False, "--reanalyze", help="Re-run the current model over every stored article."),
    show: bool = typer.Option(False, "--show", help="Print the quotations of the ingested articles."),
    time_limit: float = TIME_LIMIT_OPTION,
) -> None:
    """Analyse articles and store them; already stored ones are skipped, so an interrupted run can simply be re-run.

    A `wortlaut batch` output directory is stored as it is, without analysing it again."""
    if not sources and not reanalyze:
        raise fail("give files or directories to ingest, or --reanalyze")
    store = open_store_or_exit(db, create=True)
    with store:
        reports: list[api.IngestReport] = []
        if sources:
            total = api.estimate_articles(store, sources)
            progress, callback = ingest_progress(total)
            with progress:
                reports += api.ingest(
                    store,
                    sources,
                    extractor=extractor,
                    batch_size=batch_size,
                    workers=workers_for(workers, total),
                    progress=callback,
                    time_limit=time_limit,
                )
        if reanalyze:
            total = store.stats().articles
            progress, callback = ingest_progress(total)
            with progress:
                reports.append(
                    api.reanalyze(
                        store,
                        extractor=extractor,
                        batch_size=batch_size,
                        workers=workers_for(workers, total),
                        progress=callback,
                        time_limit=time_limit,
                    )
                )
        for report in reports:
            print_ingest_summary(report)
        if show and sources:
            articles = [article for report in reports for article in report.articles]
            show_ingested(store, articles, sum(report.stored for report in reports))
    if any(r.processed and not r.stored and not r.duplicate for r in reports):
        raise typer.Exit(1)
