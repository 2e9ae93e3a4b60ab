"""Reviewing: reviewer accounts (`users`), corrections to quotations (`review`), and the reviewed articles as
training data (`corrections export`)."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path

import typer

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
    search_filters,
    store_step,
)

users_app: typer.Typer = typer.Typer(
    help="Reviewer accounts (passwords are stored as scrypt hashes).", no_args_is_help=True
)
review_app: typer.Typer = typer.Typer(
    help="Review quotations: show, confirm, reject, set speaker or type, undo.", no_args_is_help=True
)
corrections_app: typer.Typer = typer.Typer(help="Corrections as training data.", no_args_is_help=True)


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
    from ..training.corrections import export_reviewed

    with open_store_or_exit(db) as store:
        count = export_reviewed(store, output)
    err_console.print(f"{count} reviewed articles → {output}", highlight=False)
