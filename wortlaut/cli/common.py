"""What the command modules share: options, error exits, store opening and the tables they print."""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .. import api, settings
from ..document import Document

#: Option names that were renamed (click passes them without dashes): still accepted, no longer in the help.
T = TypeVar("T")
err_console = Console(stderr=True)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


# ---- options more than one command module declares -------------------------------------------------------------

TIME_LIMIT_OPTION = typer.Option(
    settings.TIME_LIMIT,
    "--time-limit",
    min=0,
    help="Seconds one article's analysis may take; it is skipped after (0: no limit).",
)
WORKERS_OPTION = typer.Option(
    0,
    min=0,
    help=f"Processes analysing in parallel (0: one per CPU core from {settings.PARALLEL_MIN_ARTICLES} articles on, "
    "else 1).",
)
DB_OPTION = typer.Option(
    None, "--db", help="SQLite file or postgresql:// URL (default: $WORTLAUT_DB or ./wortlaut.sqlite)."
)
ROW_LIMIT = 2**63 - 1  # what the databases can take as LIMIT / OFFSET
SPEAKER_OPTION = typer.Option(None, "--speaker", help="Speaker name (mention, entity name or alias).")
TYPE_OPTION = typer.Option(None, "--type", help="Direct, Indirect, FreeIndirect, IndirectFreeIndirect or Reported.")
SINCE_OPTION = typer.Option(None, "--since", help="Articles dated on or after YYYY[-MM[-DD]].")
UNTIL_OPTION = typer.Option(None, "--until", help="Articles dated on or before YYYY[-MM[-DD]].")
SOURCE_OPTION = typer.Option(None, "--source", help="Articles from this source.")
REVIEWER_OPTION = typer.Option(..., "--as", help="Your reviewer name (see `wortlaut users`).")


# ---- errors, optional extras, processes ---------------------------------------------------------------------------


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


# ---- quotations and rows on the terminal --------------------------------------------------------------------------


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


def print_rows(rows: Sequence[Mapping[str, object]], format: OutputFormat) -> None:
    """Rows for programs: one JSON array, or one JSON object per line."""
    if format is OutputFormat.jsonl:
        print("\n".join(json.dumps(row, ensure_ascii=False) for row in rows))
    else:
        print(json.dumps(rows, ensure_ascii=False, indent=2))


# ---- the store ----------------------------------------------------------------------------------------------------


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

    from ..api import SearchFilters
    from ..document import MEDIA, QUOTATION_TYPES

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
