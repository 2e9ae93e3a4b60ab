"""Reading the store: `search`, `export`, and `speakers` with its merge, split, rename, kind and history."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .. import api
from .common import (
    DB_OPTION,
    REVIEWER_OPTION,
    ROW_LIMIT,
    SINCE_OPTION,
    SOURCE_OPTION,
    SPEAKER_OPTION,
    TYPE_OPTION,
    UNTIL_OPTION,
    OutputFormat,
    err_console,
    fail,
    open_store_or_exit,
    print_rows,
    quotations_table,
    search_filters,
    speaker_cell,
    store_step,
)

commands: typer.Typer = typer.Typer()

QUERY_ARGUMENT = typer.Argument(
    None,
    help="Words in the quote or speaker mention. `a b` both, `a OR b` either, `-a` or `NOT a` without, "
    '`"a phrase"`, `präf*` a prefix, `( )` groups, `article:word` in the article\'s title or text. '
    "Case, ä/ae, ö/oe, ü/ue and ß/ss do not matter; punctuation separates words.",
)
ENTITY_OPTION = typer.Option(None, "--entity", help="Speaker entity id (see `wortlaut speakers`).")
MEDIUM_OPTION = typer.Option(None, "--medium", help="Speech, Thought, Writing, SW, ST, TW or none.")
ARTICLE_OPTION = typer.Option(None, "--article", help="Quotations of this article id.")
REVIEWED_OPTION = typer.Option(
    None, "--reviewed/--unreviewed", help="Only quotations a reviewer confirmed or corrected, or only the others."
)
MIN_CONFIDENCE_OPTION = typer.Option(
    None, "--min-confidence", min=0.0, max=1.0, help="Only quotations at least this sure (0.8: about 9 in 10 right)."
)


@commands.command()
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


@commands.command()
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


speakers_app: typer.Typer = typer.Typer(
    help="Speaker entities: list, merge, split, rename, history.", no_args_is_help=False
)


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
