"""The `wortlaut` command line: a thin typer layer over the library API."""

from __future__ import annotations

import importlib
import ipaddress
import json
import os
import shlex
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

import typer
from rich.console import Console
from rich.markup import escape
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
from rich.table import Table
from rich.text import Text

from . import api, settings
from .api import IngestError
from .document import Document

#: Option names that were renamed (click passes them without dashes): still accepted, no longer in the help.
RENAMED_OPTIONS = {"from": "since", "to": "until"}


def current_option_name(name: str) -> str:
    return RENAMED_OPTIONS.get(name, name)


T = TypeVar("T")
app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help=__doc__,
    context_settings={"token_normalize_func": current_option_name},
)
err_console = Console(stderr=True)


class OutputFormat(StrEnum):
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


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a one-line error (brackets in it are text, not markup) and return the Exit to raise."""
    err_console.print(f"[red]error[/red]: {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def store_step(action: Callable[[], T], prefix: str = "") -> T:
    """Run one store change; what the store refuses (an unknown id, a bad name, role, password or correction)
    is one line on stderr and exit status 1."""
    try:
        return action()
    except (KeyError, ValueError, api.StaleEdit) as err:
        raise fail(f"{prefix}{err.args[0]}", 1) from None


def require_extra(modules: tuple[str, ...], extra: str, what: str, also: str = "") -> None:
    """Exit with the pip command for an optional extra (pyproject.toml) when one of its packages is missing."""
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:
            message = f"{what} needs the {extra} extra ({module} is missing): pip install 'wortlaut[{extra}]'{also}"
            raise fail(message) from None


def workers_for(workers: int, articles: int | None) -> int:
    """--workers 0: every core when enough articles are known to come to gain from a pool, else one process."""
    if workers:
        return workers
    if articles is None or articles < settings.PARALLEL_MIN_ARTICLES:
        return 1
    return os.cpu_count() or 1


WORKERS_OPTION = typer.Option(
    0,
    min=0,
    help=f"Processes analysing in parallel (0: one per CPU core from {settings.PARALLEL_MIN_ARTICLES} articles on, "
    "else 1).",
)


def quotations_table(title: str, first_column: str, first_cells: list[str]) -> Table:
    """Three columns that read at 80 characters: the first (type, date) never shortened, so it is as wide as
    its longest line; speaker and quote wrap, and no word is cut."""
    table = Table(title=title, expand=True)
    width = max((len(line) for cell in first_cells for line in cell.splitlines()), default=len(first_column))
    table.add_column(first_column, min_width=width, no_wrap=True, overflow="ignore")
    table.add_column("speaker", ratio=2, overflow="fold")
    table.add_column("quote", ratio=5, overflow="fold")
    return table


def speaker_cell(speaker: str | None, entity: str | None) -> Text:
    """The speaker as the article names it, then the resolved entity when the mention does not spell it out."""
    cell = Text(speaker or "–", style="bold")
    if entity and entity not in (speaker or ""):
        cell.append(f" ({entity})", style="default")
    return cell


def quotation_table(doc: Document) -> Table:
    """An article's quotations in reading order; ↳ marks one reported inside another."""
    types = [q.type + (" ↳" if q.nested_in else "") for q in doc.quotations]
    table = quotations_table(f"{doc.title or doc.id} ({doc.date or 'no date'})", "type", types)
    for q, type_ in zip(doc.quotations, types, strict=True):
        entity = q.speaker_entity.name if q.speaker_entity else None
        table.add_row(type_, speaker_cell(q.speaker_text, entity), q.quote_text)
    return table


@app.command()
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


def dataset_missing(path: Path, option: str) -> typer.Exit:
    """One line for a user without the dataset: where to get it and the layout expected."""
    return fail(
        f"{path}: not found. Get the German news quotation attribution dataset from {settings.DATA_HOME}; "
        f"wortlaut expects its train.jsonl and dev.jsonl (the dataset's JSONL format) in {settings.DATA_DIR} "
        f"(or $WORTLAUT_SHARED/data/quotations-de), or pass {option}"
    )


@app.command("eval")
def eval_command(
    gold: Path = typer.Argument(
        settings.DEV_GOLD, help="Gold JSONL in the dataset's format (default: the dataset's dev.jsonl)."
    ),
    extractor: str | None = typer.Option(None, help="Extractor name (default: the trained model)."),
    json_output: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    limit: int | None = typer.Option(None, help="Only the first N documents."),
    official: bool = typer.Option(False, "--official", help="Also score with the official SpkAtt-2023 scorer."),
    scorer_dir: Path | None = typer.Option(
        None, help="The official scorer's directory (default ../shared/eval/spkatt)."
    ),
) -> None:
    """Score the pipeline against gold quotations: token P/R/F1 per part, attribution, type accuracy, confidence
    calibration; with --official also the shared task's own figures."""
    if not gold.is_file():
        raise dataset_missing(gold, "the gold file")
    require_extra(("scipy",), "train", "wortlaut eval")
    from .training.evaluate import evaluate, predict_gold
    from .training.spkatt import ScorerMissing, official_scores, scorer_runner

    if official:
        try:
            scorer_runner(scorer_dir)
        except ScorerMissing as error:
            raise fail(str(error)) from None
    gold_docs, predicted = predict_gold(gold, extractor=extractor, limit=limit)
    report = evaluate(gold_docs, predicted)
    scores = official_scores(gold, predicted, limit, scorer_dir) if official else None
    if json_output:
        print(json.dumps({**report.to_json(), **({"official": scores} if scores else {})}, indent=2))
        return
    console = Console()
    console.print(report.table(title=f"{gold.name} ({extractor or 'default'} extractor)"))
    for table in report.confidence_tables():
        console.print(table)
    if scores:
        console.print(official_table(scores))


def official_table(scores: dict[str, dict[str, float]]) -> Table:
    table = Table(title="official SpkAtt-2023 scorer")
    for column in ("measure", "P", "R", "F1"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    for name, s in scores.items():
        table.add_row(name, f"{s['p']:.3f}", f"{s['r']:.3f}", f"{s['f1']:.3f}")
    return table


@app.command("train")
def train_command(
    data_dir: Path = typer.Option(settings.DATA_DIR, help="Directory with the dataset's train.jsonl and dev.jsonl."),
    output: Path | None = typer.Option(None, help="Artifact directory (default: wortlaut/models, loaded by default)."),
    seed: int = typer.Option(13, help="Shuffles the training order; same seed and data, same artifact."),
    tune: bool = typer.Option(False, "--tune", help="Search c1/c2 per stage on dev before the final training."),
    iterations: int = typer.Option(150, help="L-BFGS iterations per CRF."),
    limit: int | None = typer.Option(None, help="Only the first N training documents."),
    dev_limit: int | None = typer.Option(None, help="Only the first N dev documents."),
    cache_dir: Path | None = typer.Option(
        None, help="Where tokenised documents are cached (default ~/.cache/wortlaut)."
    ),
    extra: list[Path] = typer.Option(
        [], "--extra", help="More training data in the dataset's format, e.g. `corrections export` (repeatable)."
    ),
    calibration_only: Path | None = typer.Option(
        None,
        "--calibration-only",
        metavar="MODEL_DIR",
        help="Refit only the confidence calibration of the trained model in MODEL_DIR (taggers and scorer stay).",
    ),
) -> None:
    """Train the learned extractor on train.jsonl (tuning on dev.jsonl) and write its artifact."""
    train_path, dev_path = data_dir / "train.jsonl", data_dir / "dev.jsonl"
    if not train_path.is_file():
        raise dataset_missing(train_path, "--data-dir")
    for path in extra:
        if not path.is_file():
            raise fail(f"{path}: no such file (--extra)")
    require_extra(("scipy", "sklearn", "wordfreq"), "train", "wortlaut train")
    if calibration_only is not None:
        refit_calibration_command(train_path, dev_path, calibration_only, cache_dir, extra)
        return
    from .training.train import TrainConfig, train

    config = TrainConfig(seed=seed, iterations=iterations, limit=limit, dev_limit=dev_limit)
    result = train(
        train_path,
        dev_path if dev_path.is_file() else None,
        output=output or settings.MODEL_DIR,
        config=config,
        cache_dir=cache_dir or settings.CACHE_DIR,
        search=tune,
        log=lambda line: err_console.print(line, highlight=False),
        extra=extra,
    )
    err_console.print(f"trained in {result.seconds:.0f}s → {output or settings.MODEL_DIR}", highlight=False)
    if result.dev is not None:
        Console().print(result.dev.table(title="dev"))


def refit_calibration_command(
    train_path: Path, dev_path: Path, directory: Path, cache_dir: Path | None, extra: list[Path]
) -> None:
    """`train --calibration-only`: refit the calibration in place and show dev's confidence tables."""
    from .extract.model import ARTIFACT_FILES
    from .training.gold import read_gold
    from .training.train import load_corpus, refit_calibration, score

    missing = [name for name in ARTIFACT_FILES if not (directory / name).is_file()]
    if missing:
        raise fail(f"{directory / missing[0]}: model artifact missing (--calibration-only needs a trained model)")
    cache = cache_dir or settings.CACHE_DIR
    try:
        refit_calibration(train_path, directory, cache, extra, lambda line: err_console.print(line, highlight=False))
    except ValueError as error:
        raise fail(str(error)) from None
    err_console.print(f"calibration refitted → {directory}", highlight=False)
    if dev_path.is_file():
        report = score(directory, load_corpus(dev_path, cache), list(read_gold(dev_path)))
        for table in report.confidence_tables():
            Console().print(table)


@app.command("eval-speakers")
def eval_speakers_command(
    data_dir: Path | None = typer.Option(None, help="Directory with the dataset's dev.jsonl and train.jsonl."),
    json_output: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    limit: int | None = typer.Option(None, help="Only the first N dev articles for the shares."),
) -> None:
    """Speaker resolution: unresolved/anonymous share on dev, antecedent accuracy, cross-article merge P/R."""
    from .training.eval_speakers import evaluate_speakers, figures_table

    data_dir = data_dir or settings.DATA_DIR
    if not (data_dir / "dev.jsonl").is_file():
        raise dataset_missing(data_dir / "dev.jsonl", "--data-dir")
    figures = evaluate_speakers(data_dir, limit=limit)
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

    gold = gold or settings.DEV_GOLD
    if not gold.is_file():
        raise dataset_missing(gold, "--gold")
    try:
        results = run(BenchConfig(gold=gold, extractor=extractor, limit=limit), only)
    except KeyError as err:
        err_console.print(f"[red]error[/red]: {err.args[0]}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
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
    java = "Java (e.g. apt-get install default-jre-headless)"
    require_extra(("pyspark",), "spark", "wortlaut batch", f" and {java}")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        raise fail(f"wortlaut batch runs Spark, which needs {java}: no java on PATH and no $JAVA_HOME")
    from .batch import BatchError, run_batch, spark_session

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


# ---- store: ingest, search, export, speakers ---------------------------------------------------------------

DB_OPTION = typer.Option(
    None, "--db", help="SQLite file or postgresql:// URL (default: $WORTLAUT_DB or ./wortlaut.sqlite)."
)
QUERY_ARGUMENT = typer.Argument(
    None,
    help="Words in the quote or speaker mention. `a b` both, `a OR b` either, `-a` or `NOT a` without, "
    '`"a phrase"`, `präf*` a prefix, `( )` groups, `article:word` in the article\'s title or text. '
    "Case, ä/ae, ö/oe, ü/ue and ß/ss do not matter; punctuation separates words.",
)
ROW_LIMIT = 2**63 - 1  # what the databases can take as LIMIT / OFFSET
SPEAKER_OPTION = typer.Option(None, "--speaker", help="Speaker name (mention, entity name or alias).")
ENTITY_OPTION = typer.Option(None, "--entity", help="Speaker entity id (see `wortlaut speakers`).")
TYPE_OPTION = typer.Option(None, "--type", help="Direct, Indirect, FreeIndirect, IndirectFreeIndirect or Reported.")
MEDIUM_OPTION = typer.Option(None, "--medium", help="Speech, Thought, Writing, SW, ST, TW or none.")
SINCE_OPTION = typer.Option(None, "--since", help="Articles dated on or after YYYY[-MM[-DD]].")
UNTIL_OPTION = typer.Option(None, "--until", help="Articles dated on or before YYYY[-MM[-DD]].")
SOURCE_OPTION = typer.Option(None, "--source", help="Articles from this source.")
ARTICLE_OPTION = typer.Option(None, "--article", help="Quotations of this article id.")
REVIEWER_OPTION = typer.Option(..., "--as", help="Your reviewer name (see `wortlaut users`).")
REVIEWED_OPTION = typer.Option(
    None, "--reviewed/--unreviewed", help="Only quotations a reviewer confirmed or corrected, or only the others."
)
MIN_CONFIDENCE_OPTION = typer.Option(
    None, "--min-confidence", min=0.0, max=1.0, help="Only quotations at least this sure (0.8: about 9 in 10 right)."
)


def search_filters(
    query: str | None,
    speaker: str | None,
    entity: str | None,
    type_: str | None,
    medium: str | None,
    date_from: str | None,
    date_to: str | None,
    source: str | None,
    article: str | None,
    reviewed: bool | None = None,
    min_confidence: float | None = None,
) -> api.SearchFilters:
    """Checked SearchFilters from command-line values (exits with a one-line message on a bad value)."""
    import re

    from .api import SearchFilters
    from .document import MEDIA, QUOTATION_TYPES

    for flag, value in (("--since", date_from), ("--until", date_to)):
        if value and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
            raise fail(f"{flag} {value!r}: expected a date like 2024, 2024-05 or 2024-05-17")
    if query:
        try:
            api.parse_query(query)
        except api.QueryError as err:
            raise fail(str(err)) from None
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
        reviewed=reviewed,
        min_confidence=min_confidence,
    )


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite store URL, None for PostgreSQL (the same split as wortlaut.store's connect)."""
    return None if url.startswith(("postgresql://", "postgres://")) else Path(url.removeprefix("sqlite:///"))


def open_store_or_exit(db: str | None, *, create: bool = False) -> api.Store:
    """The store, or a one-line error; only `create` makes a new SQLite file, so a mistyped --db is refused."""
    url = db or api.default_store_url()
    path = sqlite_file(url)
    if path is None:
        require_extra(("psycopg",), "postgres", "a postgresql:// store")
    elif not create and not path.exists():
        raise fail(f"{path}: no such database (check --db or $WORTLAUT_DB; `wortlaut ingest` creates one)")
    try:
        return api.open_store(db)
    except Exception as err:  # a wrong URL, an unreachable server or a file that is not a database
        raise fail(f"cannot open the store {db or 'wortlaut.sqlite'}: {str(err).splitlines()[0]}", 1) from None


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


@app.command()
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


def print_rows(rows: Sequence[Mapping[str, object]], format: OutputFormat) -> None:
    """Rows for programs: one JSON array, or one JSON object per line."""
    if format is OutputFormat.jsonl:
        print("\n".join(json.dumps(row, ensure_ascii=False) for row in rows))
    else:
        print(json.dumps(rows, ensure_ascii=False, indent=2))


@app.command()
def search(
    query: str | None = QUERY_ARGUMENT,
    speaker: str | None = SPEAKER_OPTION,
    entity: str | None = ENTITY_OPTION,
    type_: str | None = TYPE_OPTION,
    medium: str | None = MEDIUM_OPTION,
    date_from: str | None = SINCE_OPTION,
    date_to: str | None = UNTIL_OPTION,
    source: str | None = SOURCE_OPTION,
    article: str | None = ARTICLE_OPTION,
    reviewed: bool | None = REVIEWED_OPTION,
    min_confidence: float | None = MIN_CONFIDENCE_OPTION,
    limit: int = typer.Option(20, min=1, max=ROW_LIMIT, help="Show at most this many (newest first)."),
    offset: int = typer.Option(0, min=0, max=ROW_LIMIT, help="Skip this many (for paging)."),
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f"),
    db: str | None = DB_OPTION,
) -> None:
    """Find stored quotations by words, speaker, entity, type, medium, date range and source."""
    filters = search_filters(
        query, speaker, entity, type_, medium, date_from, date_to, source, article, reviewed, min_confidence
    )
    with open_store_or_exit(db) as store:
        hits = api.search(store, filters, limit=limit, offset=offset)
        total = store.count(filters)
    if format is not OutputFormat.table:
        print_rows([hit.to_row() for hit in hits], format)
        return
    dated_types = [f"{hit.date or 'no date'}\n{hit.type}" for hit in hits]
    table = quotations_table(f"{len(hits)} of {total} quotations", "date, type", dated_types)
    for hit, dated_type in zip(hits, dated_types, strict=True):
        quote = Text(hit.quote)
        quote.append(f"\n{hit.article_id}#{hit.qid}", style="dim")
        table.add_row(dated_type, speaker_cell(hit.speaker, hit.entity_name), quote)
    Console().print(table)


class ExportFormat(StrEnum):
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
    date_from: str | None = SINCE_OPTION,
    date_to: str | None = UNTIL_OPTION,
    source: str | None = SOURCE_OPTION,
    article: str | None = ARTICLE_OPTION,
    reviewed: bool | None = REVIEWED_OPTION,
    min_confidence: float | None = MIN_CONFIDENCE_OPTION,
    with_history: bool = typer.Option(False, "--with-history", help="Add each quotation's corrections (JSON)."),
    db: str | None = DB_OPTION,
    raw: bool = typer.Option(
        False, "--raw", help="CSV: write cells starting with = + - @ as they are (default: prefixed with ')."
    ),
    excel: bool = typer.Option(False, "--excel", help="CSV: start with a UTF-8 byte order mark, for Excel."),
) -> None:
    """Write the quotations a search finds (all by default) as CSV, JSON Lines or Parquet."""
    filters = search_filters(
        query, speaker, entity, type_, medium, date_from, date_to, source, article, reviewed, min_confidence
    )
    with open_store_or_exit(db) as store:
        try:
            count = api.export(
                store, filters, format.value, output, sys.stdout, raw=raw, excel=excel, with_history=with_history
            )
        except ValueError as err:
            raise fail(str(err)) from None
    if output:
        err_console.print(f"{count} quotations → {output}", highlight=False)


speakers_app = typer.Typer(help="Speaker entities: list, merge, split, rename, history.", no_args_is_help=False)
app.add_typer(speakers_app, name="speakers")


@speakers_app.callback(invoke_without_command=True)
def speakers(
    ctx: typer.Context,
    query: str | None = typer.Option(None, "--query", "-q", help="Part of a name or alias."),
    limit: int = typer.Option(50, min=1, help="Show at most this many (most quoted first)."),
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f"),
    db: str | None = DB_OPTION,
) -> None:
    """List speakers with their aliases, descriptors and how often they are quoted."""
    if ctx.invoked_subcommand:
        return
    with open_store_or_exit(db) as store:
        found = store.entities(query, limit=limit)
    if format is not OutputFormat.table:
        print_rows([asdict(e) for e in found], format)
        return
    table = Table(title=f"{len(found)} speakers", expand=True)
    # ids are what `merge` and `--entity` take: whole, never wrapped; kind and descriptors share lines to fit 80
    table.add_column("id", min_width=max((len(e.id) for e in found), default=2), no_wrap=True, overflow="ignore")
    table.add_column("name, kind", ratio=1, overflow="fold")
    table.add_column("quotes", justify="right", no_wrap=True)
    table.add_column("aliases; descriptors", ratio=1, overflow="fold")
    for e in found:
        aliases = ", ".join(e.aliases + [f"{a} (manual)" for a in e.manual_aliases])
        details = Text(aliases)
        if e.descriptors:
            details.append("\n" + ", ".join(e.descriptors), style="dim")
        name = Text(e.name, style="bold")
        name.append(f"\n{e.kind}", style="dim")
        table.add_row(e.id, name, str(e.quotation_count), details)
    Console().print(table)


@speakers_app.command("merge")
def speakers_merge(
    keep: str = typer.Argument(..., help="Entity id (or unambiguous name) that stays."),
    other: str = typer.Argument(..., help="Entity id (or unambiguous name) merged into it."),
    reviewer: str = REVIEWER_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """Merge speaker OTHER into KEEP; OTHER's names become manual aliases (kept on --reanalyze; logged, undoable)."""
    with open_store_or_exit(db) as store:
        kept = store_step(lambda: store.merge_entities(keep, other, reviewer=reviewer))
        summary = store.entity(kept)
    err_console.print(f"merged into {kept} ({summary.quotation_count if summary else 0} quotations)", highlight=False)


@speakers_app.command("split")
def speakers_split(
    alias: str = typer.Argument(..., help="The alias that names a different speaker."),
    reviewer: str = REVIEWER_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """Give ALIAS its own speaker entity (a manual alias, kept on --reanalyze; logged, undoable)."""
    with open_store_or_exit(db) as store:
        new_id = store_step(lambda: store.split_alias(alias, reviewer=reviewer))
        summary = store.entity(new_id)
    err_console.print(f"new speaker {new_id} ({summary.quotation_count if summary else 0} quotations)", highlight=False)


@speakers_app.command("history")
def speakers_history(
    entity_id: str = typer.Argument(..., help="The speaker's id (see `wortlaut speakers`)."),
    db: str | None = DB_OPTION,
) -> None:
    """What was changed on a speaker (renames, kinds, merges and splits it was in); `wortlaut review undo N`
    takes a change back."""
    with open_store_or_exit(db) as store:
        changes = store.entity_history(entity_id)
    for c in changes:
        before, after = (json.dumps(c.before, ensure_ascii=False), json.dumps(c.after, ensure_ascii=False))
        print(f"correction {c.id}: {c.action} by {c.reviewer}, {c.at}: {before} → {after}")
    err_console.print(f"{len(changes)} changes", highlight=False)


@speakers_app.command("rename")
def speakers_rename(
    entity_id: str = typer.Argument(..., help="The speaker's id (see `wortlaut speakers`)."),
    name: str = typer.Argument(..., help="The name to show."),
    reviewer: str = REVIEWER_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """Rename a speaker entity (logged; `wortlaut review undo` takes it back)."""
    with open_store_or_exit(db) as store:
        number = store_step(lambda: store.rename_entity(entity_id, name, reviewer=reviewer))
    err_console.print(f"{entity_id} is now {name!r} (correction {number})", highlight=False)


@speakers_app.command("kind")
def speakers_kind(
    entity_id: str = typer.Argument(...),
    kind: str = typer.Argument(..., help="person, organisation, medium, state or anonymous."),
    reviewer: str = REVIEWER_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """Set what kind of speaker an entity is (logged, undoable)."""
    with open_store_or_exit(db) as store:
        number = store_step(lambda: store.set_entity_kind(entity_id, kind, reviewer=reviewer))
    err_console.print(f"{entity_id} is a {kind} (correction {number})", highlight=False)


@app.command()
def serve(
    db: str | None = DB_OPTION,
    host: str = typer.Option("127.0.0.1", help="Interface to listen on (the default keeps it on this machine)."),
    port: int = typer.Option(8000, min=0, max=65535, help="TCP port."),
    base_url: str = typer.Option(
        "", help="Public address the links start with, e.g. https://example.org/wortlaut (default: root-relative)."
    ),
    workers: int = typer.Option(
        1, min=0, help="Server processes, each with its own store connection (0: one per core)."
    ),
    private: bool = typer.Option(
        False, "--private", help="Only signed-in reviewers see anything; everyone else gets the sign-in page."
    ),
    no_cache: bool = typer.Option(
        False,
        "--no-cache",
        help="Render every page afresh (default: pages for visitors who are not signed in are kept until the "
        "store changes).",
    ),
) -> None:
    """The web interface: articles with highlighted quotations, speakers, search, network, and the JSON API.

    Reviewers sign in at /anmelden (accounts: `wortlaut users add`). Sessions are signed with $WORTLAUT_SECRET,
    or with a random secret made now, so that a restart signs everyone out."""
    require_extra(("fastapi", "uvicorn", "jinja2"), "web", "wortlaut serve")
    import uvicorn

    from .web.app import BASE_URL_ENV, NO_CACHE_ENV, PRIVATE_ENV, STORE_ENV, create_app
    from .web.auth import secret_from_environment

    workers = workers or os.cpu_count() or 1
    if not local_address(host) and not base_url.lower().startswith("https://"):
        err_console.print(
            f"warning: serving on {host}, reachable from other machines, without https: passwords and sessions "
            "cross the network in the clear. Put an https proxy in front and pass --base-url https://...",
            highlight=False,
        )
    secret_from_environment()  # one signing secret for every worker process
    with open_store_or_exit(db) as store:
        err_console.print(f"serving {store.url} on http://{host}:{port}/ (API docs at /docs)", highlight=False)
        if workers == 1:
            web_app = create_app(store, base_url=base_url, private=private, cache=not no_cache)
            uvicorn.run(web_app, host=host, port=port, log_level="warning", access_log=False)
            return
        url = store.url
    os.environ[STORE_ENV], os.environ[BASE_URL_ENV], os.environ[PRIVATE_ENV] = url, base_url, "1" if private else ""
    os.environ[NO_CACHE_ENV] = "1" if no_cache else ""
    uvicorn.run(
        "wortlaut.web.app:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
    )


def local_address(host: str) -> bool:
    """Whether `host` is reachable from this machine only (a loopback name or address)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# ---- review: accounts, corrections, training data from them --------------------------------------------------

users_app = typer.Typer(help="Reviewer accounts (passwords are stored as scrypt hashes).", no_args_is_help=True)
review_app = typer.Typer(
    help="Review quotations: show, confirm, reject, set speaker or type, undo.", no_args_is_help=True
)
corrections_app = typer.Typer(help="Corrections as training data.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(review_app, name="review")
app.add_typer(corrections_app, name="corrections")


def new_password(from_stdin: bool) -> str:
    """The password from stdin (for scripts) or typed twice at a hidden prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = typer.prompt("Password", hide_input=True)
    if typer.prompt("Repeat", hide_input=True) != first:
        raise fail("the two passwords differ")
    return str(first)


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="User name (letters, digits, _ . @ -)."),
    role: str = typer.Option("reviewer", "--role", help="reviewer (corrects quotations) or admin (also speakers)."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
    db: str | None = DB_OPTION,
) -> None:
    """Add a reviewer account; the password is prompted for (twice) unless given on stdin."""
    with open_store_or_exit(db) as store:
        store_step(lambda: store.add_user(name, role, new_password(password_stdin)))
    err_console.print(f"added {name} ({role})", highlight=False)


@users_app.command("list")
def users_list(
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f"), db: str | None = DB_OPTION
) -> None:
    """The accounts with their roles."""
    with open_store_or_exit(db) as store:
        accounts = [{"name": a.name, "role": a.role, "created_at": a.created_at} for a in store.users()]
    print_rows(accounts, format)


@users_app.command("remove")
def users_remove(name: str = typer.Argument(...), db: str | None = DB_OPTION) -> None:
    """Remove an account (its corrections stay in the log, under its name)."""
    with open_store_or_exit(db) as store:
        store_step(lambda: store.remove_user(name))
    err_console.print(f"removed {name}", highlight=False)


@users_app.command("passwd")
def users_passwd(
    name: str = typer.Argument(...),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
    db: str | None = DB_OPTION,
) -> None:
    """Set a new password."""
    with open_store_or_exit(db) as store:
        store_step(lambda: store.set_password(name, new_password(password_stdin)))
    err_console.print(f"new password for {name}", highlight=False)


def quotation_at(store: api.Store, reference: str) -> api.QuotationHit:
    """The stored quotation `ARTICLE#QUOTATION` (as `wortlaut search` shows it), or a one-line error."""
    article, _, qid = reference.rpartition("#")
    hits = [hit for hit in store.search(article=article, limit=100_000) if hit.qid == qid] if article else []
    if not hits:
        raise fail(f"{reference}: no such quotation (expected ARTICLE#QUOTATION, as `wortlaut search` shows)", 1)
    return hits[0]


def correction_step(store: api.Store, reference: str, action: str, after: Mapping[str, object], reviewer: str) -> None:
    """One correction from the command line, reported in one line."""
    hit = quotation_at(store, reference)
    number = store_step(
        lambda: store.correct(hit.article_id, hit.anchor, action, after, reviewer=reviewer), f"{reference}: "
    )
    err_console.print(f"{reference}: {action} (correction {number})", highlight=False)


@review_app.command("show")
def review_show(
    reference: str = typer.Argument(..., help="ARTICLE#QUOTATION, as `wortlaut search` shows it."),
    db: str | None = DB_OPTION,
) -> None:
    """A quotation with its review state and the corrections made to it."""
    with open_store_or_exit(db) as store:
        hit = quotation_at(store, reference)
        history = [c for c in store.history(hit.article_id) if str(c.anchor) == hit.anchor]
    print(
        json.dumps(
            {**hit.to_row(), "history": [c.__dict__ | {"anchor": str(c.anchor)} for c in history]},
            ensure_ascii=False,
            indent=2,
        )
    )


@review_app.command("confirm")
def review_confirm(
    reference: str = typer.Argument(...), reviewer: str = REVIEWER_OPTION, db: str | None = DB_OPTION
) -> None:
    """Mark a quotation as checked and right."""
    with open_store_or_exit(db) as store:
        correction_step(store, reference, "confirm", {}, reviewer)


@review_app.command("reject")
def review_reject(
    reference: str = typer.Argument(...), reviewer: str = REVIEWER_OPTION, db: str | None = DB_OPTION
) -> None:
    """Not a quotation (a title, a scare quote, narration): hidden everywhere, kept in the log."""
    with open_store_or_exit(db) as store:
        correction_step(store, reference, "reject", {}, reviewer)


@review_app.command("set-speaker")
def review_set_speaker(
    reference: str = typer.Argument(...),
    entity: str | None = typer.Option(None, "--entity", help="An existing speaker's id (see `wortlaut speakers`)."),
    span: list[str] = typer.Option([], "--span", help="START-END of the speaker's words in the article (repeatable)."),
    reviewer: str = REVIEWER_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """Give a quotation its right speaker: an existing entity, the words that name it, or both."""
    offsets = []
    for item in span:
        start, _, end = item.partition("-")
        if not (start.isdigit() and end.isdigit()):
            raise fail(f"--span {item!r}: expected START-END, e.g. 120-131")
        offsets.append([int(start), int(end)])
    with open_store_or_exit(db) as store:
        chosen = store.entity(entity) if entity else None
        if entity and chosen is None:
            raise fail(f"--entity {entity!r}: no such speaker", 1)
        after = {
            "speaker": offsets,
            "entity": {"id": chosen.id, "name": chosen.name, "kind": chosen.kind} if chosen else None,
        }
        correction_step(store, reference, "set_speaker", after, reviewer)


@review_app.command("set-type")
def review_set_type(
    reference: str = typer.Argument(...),
    type_: str = typer.Argument(
        ..., metavar="TYPE", help="Direct, Indirect, FreeIndirect, IndirectFreeIndirect or Reported."
    ),
    reviewer: str = REVIEWER_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """Change a quotation's type."""
    with open_store_or_exit(db) as store:
        correction_step(store, reference, "set_type", {"type": type_}, reviewer)


@review_app.command("undo")
def review_undo(
    correction: int = typer.Argument(..., help="The correction's number (see `review show`)."),
    reviewer: str = REVIEWER_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """Take back a correction (the undo is itself logged and can be undone)."""
    with open_store_or_exit(db) as store:
        number = store_step(lambda: store.undo(correction, reviewer=reviewer))
    err_console.print(f"correction {correction} undone (correction {number})", highlight=False)


@review_app.command("conflicts")
def review_conflicts(db: str | None = DB_OPTION) -> None:
    """Corrections whose quotation a new analysis no longer has: kept, to be redone or undone by hand."""
    with open_store_or_exit(db) as store:
        found = store.conflicts()
    for c in found:
        after = json.dumps(c.after, ensure_ascii=False)
        print(f"{c.article_id} at {c.anchor}: correction {c.id} ({c.action} by {c.reviewer}, {c.at}) {after}")
    err_console.print(f"{len(found)} conflicts", highlight=False)


@review_app.command("queue")
def review_queue(
    limit: int = typer.Option(20, min=1, max=ROW_LIMIT, help="Show this many."),
    source: str | None = SOURCE_OPTION,
    type_: str | None = TYPE_OPTION,
    speaker: str | None = SPEAKER_OPTION,
    date_from: str | None = SINCE_OPTION,
    date_to: str | None = UNTIL_OPTION,
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f"),
    db: str | None = DB_OPTION,
) -> None:
    """Unreviewed quotations, least confident first, and how far the review has come."""
    filters = search_filters(None, speaker, None, type_, None, date_from, date_to, source, None)
    with open_store_or_exit(db) as store:
        hits = store.review_queue(filters, limit=limit)
        progress = store.review_progress(filters)
    err_console.print(
        f"{progress.reviewed} of {progress.total} reviewed; {progress.corrected} corrected", highlight=False
    )
    rows = [
        {
            "quotation": f"{h.article_id}#{h.qid}",
            "confidence": h.confidence,
            "speaker": h.speaker,
            "type": h.type,
            "quote": h.quote,
        }
        for h in hits
    ]
    print_rows(rows, format)


@corrections_app.command("export")
def corrections_export(
    output: Path = typer.Option(..., "--output", "-o", help="JSONL file in the annotated dataset's format."),
    db: str | None = DB_OPTION,
) -> None:
    """Every fully reviewed article in the training data's format, for `wortlaut train --extra FILE`."""
    from .training.corrections import export_reviewed

    with open_store_or_exit(db) as store:
        count = export_reviewed(store, output)
    err_console.print(f"{count} reviewed articles → {output}", highlight=False)


def main() -> None:
    app()
