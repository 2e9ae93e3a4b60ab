"""The `wortlaut` command line: a thin typer layer over the library API."""

from __future__ import annotations

import typer

from . import analyse, ingest, query, review, serve, training
from .common import workers_for

__all__ = ["app", "main", "workers_for"]

RENAMED_OPTIONS = {"from": "since", "to": "until"}


def current_option_name(name: str) -> str:
    return RENAMED_OPTIONS.get(name, name)


app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help=__doc__,
    context_settings={"token_normalize_func": current_option_name},
)

# the commands, in the order `wortlaut --help` lists them: analyse, evaluate, store, query, serve, review
app.add_typer(analyse.commands)
app.add_typer(training.commands)
app.add_typer(ingest.commands)
app.add_typer(query.commands)
app.add_typer(serve.commands)
app.add_typer(query.speakers_app, name="speakers")
app.add_typer(review.users_app, name="users")
app.add_typer(review.review_app, name="review")
app.add_typer(review.corrections_app, name="corrections")


def main() -> None:
    app()
