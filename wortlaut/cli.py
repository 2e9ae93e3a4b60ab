"""The `wortlaut` command line: a thin typer layer over the library API."""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from . import api, settings
from .api import IngestError
from .document import Document

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
err_console = Console(stderr=True)


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


TIME_LIMIT_OPTION = typer.Option(
    settings.TIME_LIMIT,
    "--time-limit",
    min=0,
    help="Seconds one article's analysis may take; it is skipped after (0: no limit).",
)


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
    paths: list[str] = typer.Argument(..., help="Files, directories, or '-' for stdin."),
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
    extractor: str | None = typer.Option(None, help="Extractor name (default: the trained model)."),
    workers: int = typer.Option(1, min=0, help="Processes analysing in parallel (0: one per CPU core)."),
    time_limit: float = TIME_LIMIT_OPTION,
) -> None:
    """Print every quotation in German articles (.txt, .html, .jsonl, feeds, WARC, '-')."""
    stats = {"read": 0, "failed": 0}
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


@app.command("eval")
def eval_command(
    gold: Path = typer.Argument(..., help="Gold JSONL in the dataset's format (e.g. dev.jsonl)."),
    extractor: str | None = typer.Option(None, help="Extractor name (default: the trained model)."),
    json_output: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    limit: int | None = typer.Option(None, help="Only the first N documents."),
) -> None:
    """Score the pipeline against gold quotations: token P/R/F1 per part, attribution, type accuracy."""
    from .training.evaluate import evaluate_extractor

    report = evaluate_extractor(gold, extractor=extractor, limit=limit)
    if json_output:
        print(json.dumps(report.to_json(), indent=2))
    else:
        Console().print(report.table(title=f"{gold.name} ({extractor or 'default'} extractor)"))


@app.command("train")
def train_command(
    data_dir: Path = typer.Option(settings.DATA_DIR, help="Directory with the dataset's train.jsonl and dev.jsonl."),
    output: Path | None = typer.Option(
        None, help="Artifact directory (default: wortlaut/models, loaded by default)."
    ),
    seed: int = typer.Option(13, help="Shuffles the training order; same seed and data, same artifact."),
    tune: bool = typer.Option(False, "--tune", help="Search c1/c2 per stage on dev before the final training."),
    iterations: int = typer.Option(150, help="L-BFGS iterations per CRF."),
    limit: int | None = typer.Option(None, help="Only the first N training documents."),
    dev_limit: int | None = typer.Option(None, help="Only the first N dev documents."),
    cache_dir: Path | None = typer.Option(
        None, help="Where tokenised documents are cached (default ~/.cache/wortlaut)."
    ),
) -> None:
    """Train the learned extractor on train.jsonl (tuning on dev.jsonl) and write its artifact."""
    from .training.train import TrainConfig, train

    train_path, dev_path = data_dir / "train.jsonl", data_dir / "dev.jsonl"
    if not train_path.is_file():
        raise fail(f"{train_path}: training data not found")
    config = TrainConfig(seed=seed, iterations=iterations, limit=limit, dev_limit=dev_limit)
    result = train(
        train_path,
        dev_path if dev_path.is_file() else None,
        output=output or settings.MODEL_DIR,
        config=config,
        cache_dir=cache_dir or settings.CACHE_DIR,
        search=tune,
        log=lambda line: err_console.print(line, highlight=False),
    )
    err_console.print(f"trained in {result.seconds:.0f}s → {output or settings.MODEL_DIR}", highlight=False)
    if result.dev is not None:
        Console().print(result.dev.table(title="dev"))


@app.command("eval-speakers")
def eval_speakers_command(
    data_dir: Path | None = typer.Option(None, help="Directory with the dataset's dev.jsonl and train.jsonl."),
    json_output: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    limit: int | None = typer.Option(None, help="Only the first N dev articles for the shares."),
) -> None:
    """Speaker resolution: unresolved/anonymous share on dev, antecedent accuracy, cross-article merge P/R."""
    from .training.eval_speakers import evaluate_speakers, figures_table

    figures = evaluate_speakers(data_dir or settings.DATA_DIR, limit=limit)
    if json_output:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        Console().print(figures_table(figures))


@app.command("bench")
def bench_command(
    gold: Path | None = typer.Option(None, help="Articles to analyse (default: the dataset's dev.jsonl)."),
    extractor: str | None = typer.Option(None, help="Extractor name (default: the trained model)."),
    json_output: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    only: list[str] = typer.Option([], "--only", help="Run only this section (repeatable)."),
    limit: int | None = typer.Option(None, help="Only the first N articles."),
) -> None:
    """Start-up time, throughput (articles/s, tokens/s) and peak memory of the pipeline."""
    from .bench import BenchConfig, run, table

    try:
        results = run(BenchConfig(gold=gold or settings.DEV_GOLD, extractor=extractor, limit=limit), only)
    except KeyError as err:
        err_console.print(f"[red]error[/red]: {err.args[0]}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    if json_output:
        print(json.dumps(results, indent=2))
    else:
        Console().print(table(results))


@app.command()
def batch(
    inputs: list[str] = typer.Argument(..., help="JSONL, Parquet (a 'text' column) or WARC files, or directories."),
    output: Path = typer.Option(..., "--output", "-o", help="New directory for the Parquet tables."),
    master: str = typer.Option("local[*]", help="Spark master: local[N] or spark://HOST:PORT."),
    extractor: str | None = typer.Option(None, help="Extractor name (default: the trained model)."),
    partitions: int | None = typer.Option(None, help="Analysis partitions (default: 3 x cores)."),
    conf: list[str] = typer.Option([], "--conf", help="Extra Spark setting KEY=VALUE (repeatable)."),
) -> None:
    """Analyse many articles on Spark; write articles/quotations/spans/speakers Parquet tables by date."""
    from .batch import BatchError, run_batch, spark_session

    if any("=" not in item for item in conf):
        raise typer.BadParameter("expected KEY=VALUE", param_hint="--conf")
    spark = spark_session(master, dict(item.split("=", 1) for item in conf))
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
        f"{result.articles} articles, {result.quotations} quotations, {result.failed - result.not_german} bad "
        f"records, {result.not_german} skipped as not German in {result.seconds:.1f}s → {result.output}",
        highlight=False,
    )
    if result.articles == 0:
        raise typer.Exit(1)


# ---- store: ingest, search, export, speakers ---------------------------------------------------------------

DB_OPTION = typer.Option(
    None, "--db", help="SQLite file or postgresql:// URL (default: $WORTLAUT_DB or ./wortlaut.sqlite)."
)
QUERY_ARGUMENT = typer.Argument(None, help='Words or "a phrase" in the quote or speaker (word* for a prefix).')
SPEAKER_OPTION = typer.Option(None, "--speaker", help="Speaker name (mention, entity name or alias).")
ENTITY_OPTION = typer.Option(None, "--entity", help="Speaker entity id (see `wortlaut speakers`).")
TYPE_OPTION = typer.Option(None, "--type", help="Direct, Indirect, FreeIndirect, IndirectFreeIndirect or Reported.")
MEDIUM_OPTION = typer.Option(None, "--medium", help="Speech, Thought, Writing, SW, ST, TW or none.")
FROM_OPTION = typer.Option(None, "--from", help="Articles dated on or after YYYY[-MM[-DD]].")
TO_OPTION = typer.Option(None, "--to", help="Articles dated on or before YYYY[-MM[-DD]].")
SOURCE_OPTION = typer.Option(None, "--source", help="Articles from this source.")
ARTICLE_OPTION = typer.Option(None, "--article", help="Quotations of this article id.")


def fail(message: str, code: int = 2) -> typer.Exit:
    err_console.print(f"[red]error[/red]: {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def search_filters(query, speaker, entity, type_, medium, date_from, date_to, source, article):  # type: ignore[no-untyped-def]
    """Checked SearchFilters from command-line values (exits with a one-line message on a bad value)."""
    import re

    from .api import SearchFilters
    from .document import MEDIA, QUOTATION_TYPES

    for flag, value in (("--from", date_from), ("--to", date_to)):
        if value and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
            raise fail(f"{flag} {value!r}: expected a date like 2024, 2024-05 or 2024-05-17")
    canonical = {name.lower(): name for name in QUOTATION_TYPES + MEDIA}
    for flag, value, allowed in (("--type", type_, QUOTATION_TYPES), ("--medium", medium, MEDIA)):
        if value and canonical.get(value.lower()) not in allowed:
            raise fail(f"{flag} {value!r}: expected one of {', '.join(allowed)}")
    return SearchFilters(
        query=query,
        speaker=speaker,
        entity=entity,
        type=canonical.get((type_ or "").lower()),
        medium=canonical.get((medium or "").lower()),
        date_from=date_from,
        date_to=date_to,
        source=source,
        article=article,
    )


def open_store_or_exit(db: str | None):  # type: ignore[no-untyped-def]
    try:
        return api.open_store(db)
    except Exception as err:  # a wrong URL, an unreachable server or a file that is not a database
        raise fail(f"cannot open the store {db or 'wortlaut.sqlite'}: {str(err).splitlines()[0]}", 1)


def ingest_progress(total: int | None):  # type: ignore[no-untyped-def]
    """A rich progress bar on stderr with articles/s and ETA; returns (progress, callback)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task):  # type: ignore[no-untyped-def]
            return Text(f"{task.speed or 0:.1f} articles/s", style="cyan")

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

    def callback(event: str, message: str) -> None:
        if event == "note":
            progress.console.print(f"[yellow]note[/yellow]: {message}", highlight=False, soft_wrap=True)
        else:
            progress.advance(task)

    return progress, callback


def print_ingest_summary(report) -> None:  # type: ignore[no-untyped-def]
    rate = report.processed / report.seconds if report.seconds else 0.0
    err_console.print(
        f"[bold]{report.stored}[/bold] stored, {report.duplicate} skipped as duplicate, "
        f"{len(report.skipped)} skipped as not German, [bold]{len(report.failed)}[/bold] failed "
        f"({report.processed} articles in {report.seconds:.1f}s, {rate:.1f} articles/s)",
        highlight=False,
    )
    for title, lines in (("not German", report.skipped), ("failed", report.failed)):
        for line in lines[:50]:
            err_console.print(f"  [red]{title}[/red]: {line}", highlight=False, soft_wrap=True)
        if len(lines) > 50:
            err_console.print(f"  … and {len(lines) - 50} more {title}", highlight=False)


def show_ingested(store, article_ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    """The quotation tables of the ingested articles, where they are stored, and a search to try."""
    console = Console()
    speakers: dict[str, int] = {}
    for article_id in dict.fromkeys(article_ids):
        doc = store.article(article_id)
        if doc is None:
            continue
        console.print(quotation_table(doc))
        for q in doc.quotations:
            if q.speaker_entity and q.speaker_entity.kind == "person":
                speakers[q.speaker_entity.name] = speakers.get(q.speaker_entity.name, 0) + 1
    where = store.url if "://" in store.url else str(Path(store.url).resolve())
    db = "" if store.url == api.default_store_url() else f" --db {shlex.quote(store.url)}"
    example = max(speakers, key=speakers.__getitem__) if speakers else None
    console.print(f"\nStored in [bold]{where}[/bold]. Search it, for example:", highlight=False)
    if example:
        console.print(f"  wortlaut search --speaker {shlex.quote(example)}{db}", highlight=False, markup=False)
    console.print(f"  wortlaut search --type Direct{db}", highlight=False, markup=False)
    console.print(f"  wortlaut speakers{db}", highlight=False, markup=False)


@app.command()
def ingest(
    sources: list[str] = typer.Argument(
        None, help="Files (.txt .html .jsonl .rss .atom .xml .warc .warc.gz), directories, '-'."
    ),
    db: str | None = DB_OPTION,
    extractor: str | None = typer.Option(None, help="Extractor name (default: the trained model)."),
    batch_size: int = typer.Option(20, min=1, help="Articles per transaction."),
    workers: int = typer.Option(1, min=0, help="Processes analysing in parallel (0: one per core)."),
    reanalyze: bool = typer.Option(False, "--reanalyze", help="Re-run the current model over every stored article."),
    show: bool = typer.Option(False, "--show", help="Print the quotations of the ingested articles."),
    time_limit: float = TIME_LIMIT_OPTION,
) -> None:
    """Analyse articles and store them; already stored ones are skipped, so an interrupted run can simply be re-run.

    A `wortlaut batch` output directory is stored as it is, without analysing it again."""
    if not sources and not reanalyze:
        raise fail("give files or directories to ingest, or --reanalyze")
    store = open_store_or_exit(db)
    with store:
        reports: list[api.IngestReport] = []
        if sources:
            progress, callback = ingest_progress(api.estimate_articles(store, sources))
            with progress:
                reports += api.ingest(
                    store,
                    sources,
                    extractor=extractor,
                    batch_size=batch_size,
                    workers=workers,
                    progress=callback,
                    time_limit=time_limit,
                )
        if reanalyze:
            progress, callback = ingest_progress(store.stats().articles)
            with progress:
                reports.append(
                    api.reanalyze(
                        store,
                        extractor=extractor,
                        batch_size=batch_size,
                        workers=workers,
                        progress=callback,
                        time_limit=time_limit,
                    )
                )
        for report in reports:
            print_ingest_summary(report)
        if show and sources:
            show_ingested(store, [article for report in reports for article in report.articles])
    if any(r.processed and not r.stored and not r.duplicate for r in reports):
        raise typer.Exit(1)


@app.command()
def search(
    query: str | None = QUERY_ARGUMENT,
    speaker: str | None = SPEAKER_OPTION,
    entity: str | None = ENTITY_OPTION,
    type_: str | None = TYPE_OPTION,
    medium: str | None = MEDIUM_OPTION,
    date_from: str | None = FROM_OPTION,
    date_to: str | None = TO_OPTION,
    source: str | None = SOURCE_OPTION,
    article: str | None = ARTICLE_OPTION,
    limit: int = typer.Option(20, min=1, help="Show at most this many (newest first)."),
    offset: int = typer.Option(0, min=0, help="Skip this many (for paging)."),
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f"),
    db: str | None = DB_OPTION,
) -> None:
    """Find stored quotations by words, speaker, entity, type, medium, date range and source."""
    filters = search_filters(query, speaker, entity, type_, medium, date_from, date_to, source, article)
    with open_store_or_exit(db) as store:
        hits = api.search(store, filters, limit=limit, offset=offset)
        total = store.count(filters)
    if format is not OutputFormat.table:
        rows = [hit.to_row() for hit in hits]
        print(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
            if format is OutputFormat.jsonl
            else json.dumps(rows, ensure_ascii=False, indent=2)
        )
        return
    table = Table(title=f"{len(hits)} of {total} quotations", expand=True)
    for name, ratio in (("date", 1), ("speaker", 2), ("type", 1), ("quote", 7), ("article", 2)):
        table.add_column(name, ratio=ratio)
    for hit in hits:
        speaker_cell = hit.speaker or "–"
        if hit.entity_name and hit.entity_name != hit.speaker:
            speaker_cell += f" ({hit.entity_name})"
        table.add_row(hit.date or "", speaker_cell, hit.type, hit.quote, f"{hit.article_id}#{hit.qid}")
    Console().print(table)


class ExportFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


@app.command()
def export(
    query: str | None = QUERY_ARGUMENT,
    format: ExportFormat = typer.Option(ExportFormat.csv, "--format", "-f"),
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write (stdout for csv/jsonl)."),
    speaker: str | None = SPEAKER_OPTION,
    entity: str | None = ENTITY_OPTION,
    type_: str | None = TYPE_OPTION,
    medium: str | None = MEDIUM_OPTION,
    date_from: str | None = FROM_OPTION,
    date_to: str | None = TO_OPTION,
    source: str | None = SOURCE_OPTION,
    article: str | None = ARTICLE_OPTION,
    db: str | None = DB_OPTION,
    raw: bool = typer.Option(
        False, "--raw", help="CSV: write cells starting with = + - @ as they are (default: prefixed with ')."
    ),
    excel: bool = typer.Option(False, "--excel", help="CSV: start with a UTF-8 byte order mark, for Excel."),
) -> None:
    """Write the quotations a search finds (all by default) as CSV, JSON Lines or Parquet."""
    filters = search_filters(query, speaker, entity, type_, medium, date_from, date_to, source, article)
    with open_store_or_exit(db) as store:
        try:
            count = api.export(store, filters, format.value, output, sys.stdout, raw=raw, excel=excel)
        except ValueError as err:
            raise fail(str(err))
    if output:
        err_console.print(f"{count} quotations → {output}", highlight=False)


speakers_app = typer.Typer(help="Speaker entities: list, merge, split.", no_args_is_help=False)
app.add_typer(speakers_app, name="speakers")


@speakers_app.callback(invoke_without_command=True)
def speakers(
    ctx: typer.Context,
    query: str | None = typer.Option(None, "--query", "-q", help="Part of a name or alias."),
    limit: int = typer.Option(50, min=1, help="Show at most this many (most quoted first)."),
    db: str | None = DB_OPTION,
) -> None:
    """List speakers with their aliases, descriptors and how often they are quoted."""
    if ctx.invoked_subcommand:
        return
    with open_store_or_exit(db) as store:
        found = store.entities(query, limit=limit)
    table = Table(title=f"{len(found)} speakers", expand=True)
    for name, ratio in (("id", 2), ("name", 2), ("kind", 1), ("quotes", 1), ("aliases", 3), ("descriptors", 3)):
        table.add_column(name, ratio=ratio, justify="right" if name == "quotes" else "left")
    for e in found:
        aliases = ", ".join(e.aliases + [f"{a} (manual)" for a in e.manual_aliases])
        table.add_row(e.id, e.name, e.kind, str(e.quotation_count), aliases, ", ".join(e.descriptors))
    Console().print(table)


@speakers_app.command("merge")
def speakers_merge(
    keep: str = typer.Argument(..., help="Entity id (or unambiguous name) that stays."),
    other: str = typer.Argument(..., help="Entity id (or unambiguous name) merged into it."),
    db: str | None = DB_OPTION,
) -> None:
    """Merge speaker OTHER into KEEP; OTHER's names become manual aliases (kept on --reanalyze)."""
    with open_store_or_exit(db) as store:
        try:
            kept = store.merge_entities(keep, other)
        except (KeyError, ValueError) as err:
            raise fail(str(err.args[0]), 1)
        summary = store.entity(kept)
    err_console.print(f"merged into {kept} ({summary.quotation_count if summary else 0} quotations)", highlight=False)


@speakers_app.command("split")
def speakers_split(
    alias: str = typer.Argument(..., help="The alias that names a different speaker."),
    db: str | None = DB_OPTION,
) -> None:
    """Give ALIAS its own speaker entity (a manual alias, kept on --reanalyze)."""
    with open_store_or_exit(db) as store:
        try:
            new_id = store.split_alias(alias)
        except KeyError as err:
            raise fail(str(err.args[0]), 1)
        summary = store.entity(new_id)
    err_console.print(f"new speaker {new_id} ({summary.quotation_count if summary else 0} quotations)", highlight=False)


@app.command()
def serve(
    db: str | None = DB_OPTION,
    host: str = typer.Option("127.0.0.1", help="Interface to listen on (the default keeps it on this machine)."),
    port: int = typer.Option(8000, min=0, max=65535, help="TCP port."),
) -> None:
    """The web interface: articles with highlighted quotations, speakers, search, network, and the JSON API."""
    import uvicorn

    from .web.app import create_app

    with open_store_or_exit(db) as store:
        err_console.print(f"serving {store.url} on http://{host}:{port}/ (API docs at /docs)", highlight=False)
        uvicorn.run(create_app(store), host=host, port=port, log_level="warning")


def main() -> None:
    app()
