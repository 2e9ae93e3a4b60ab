"""The quotation store: `open_store()` gives a Store over SQLite (default) or PostgreSQL, schema migrated.

from wortlaut.store import open_store, SearchFilters
with open_store("wortlaut.sqlite") as store:
    for hit in store.search(SearchFilters(query="Klimaschutz", speaker="Merz")):
        print(hit.speaker, hit.quote)
"""

from __future__ import annotations

import os

from .. import settings
from .backends import connect, migrate
from .catalogue import Catalogue
from .core import Store
from .query import QueryError, Term, highlight_terms, parse_query, word_spans
from .records import (
    QUOTATION_ROW,
    AddSummary,
    ArticleSummary,
    Column,
    EntitySummary,
    NetworkEdge,
    Outcome,
    QuotationHit,
    SearchFilters,
    StoreStats,
    spark_ddl,
)
from .review_log import Account, StaleEdit
from .reviews import ReviewProgress
from .writes import field_problem

__all__ = [
    "QUOTATION_ROW",
    "Account",
    "AddSummary",
    "ArticleSummary",
    "Catalogue",
    "Column",
    "EntitySummary",
    "NetworkEdge",
    "Outcome",
    "QueryError",
    "QuotationHit",
    "ReviewProgress",
    "SearchFilters",
    "StaleEdit",
    "Store",
    "StoreStats",
    "Term",
    "default_url",
    "field_problem",
    "highlight_terms",
    "open_store",
    "parse_query",
    "spark_ddl",
    "word_spans",
]


def default_url() -> str:
    """$WORTLAUT_DB, else ./wortlaut.sqlite."""
    return os.environ.get("WORTLAUT_DB") or settings.DEFAULT_DB


def open_store(url: str | None = None) -> Store:
    """Open (creating and migrating as needed) the store at a SQLite path or a `postgresql://` URL."""
    backend = connect(url or default_url())
    try:
        version = migrate(backend)
    except BaseException:
        backend.close()
        raise
    return Store(backend, version)
