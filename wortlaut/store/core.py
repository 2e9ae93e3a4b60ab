"""The Store: analysed articles, quotations, spans and speakers in SQLite or PostgreSQL, and the queries over them.

Every query is written once (queries.py reads, writes.py writes); `backends.py` supplies the connection,
the transactions and the full-text dialect.

Read API (used by the CLI, the web app and notebooks):
    store.search(SearchFilters(query="Klima", type="Direct"), limit=20)  -> list[QuotationHit]
    store.count(filters)                                                 -> int
    store.iter_quotations(filters)                                       -> every hit, streamed (export)
    store.articles(query=..., source=..., date_from=..., date_to=...)    -> list[ArticleSummary]
    store.article(article_id)                                            -> Document with quotations | None
    store.entities(query=...), store.entity(entity_id)                   -> EntitySummary
    store.stats()                                                        -> StoreStats
Write API:
    store.add_documents(docs)      analysed Documents in, one transaction per batch
Review API (reviews.py; corrections survive --reanalyze and new models):
    store.add_user(name, role, password), store.login(name, password), store.users()
    store.correct(article_id, anchor, action, after, reviewer=..., expected_version=...)   -> correction id
    store.undo(correction_id, reviewer=...), store.history(article_id), store.conflicts()
    store.review_queue(filters), store.review_progress(filters)
Speaker corrections (speaker_edits.py; logged, undoable with store.undo, kept on --reanalyze):
    store.rename_entity(entity_id, name, reviewer=...), store.set_entity_kind(entity_id, kind, reviewer=...)
    store.merge_entities(keep, other, reviewer=...), store.split_alias(alias, reviewer=...)
    store.entity_history(entity_id)
Sign-in throttling shared by all server processes: store.login_wait(keys), login_failed(...), login_succeeded(keys)
"""

from __future__ import annotations

from .backends import Backend
from .catalogue import Catalogue
from .queries import Queries
from .reviews import Reviews
from .speaker_edits import SpeakerEdits
from .writes import Writes


class Store(Queries, Writes, Reviews, SpeakerEdits):
    """Articles, quotations and speakers in one database; see the module docstring for the API."""

    def __init__(self, backend: Backend, schema_version: int) -> None:
        self.db = backend
        self.schema_version = schema_version
        self._catalogue: Catalogue | None = None

    @property
    def url(self) -> str:
        """Where the data lives: the SQLite file path or the PostgreSQL URL."""
        return self.db.url

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
