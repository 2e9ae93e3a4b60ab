"""What the pages show of reviews: each quotation's mark, the outcome of the last write, the change lists.

Read-only, so the article and speaker pages (pages.py) and the review routes (review_pages.py) share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request

from ..api import SearchFilters, Store
from ..document import ENTITY_KINDS, Document
from . import sessions

#: What a write can come back with; each is a message in the i18n catalogue (`review.outcome.<key>`).
OUTCOMES = (
    "saved",
    "stale",
    "stale_undo",
    "invalid",
    "missing",
    "unknown_entity",
    "no_words",
    "signed_in",
    "signed_out",
    "merged",
    "split",
)


def outcome_of(request: Request) -> str | None:
    """The `?review=` outcome to show on a page (only the known ones: the URL cannot put words on the page)."""
    outcome = request.query_params.get("review")
    return outcome if outcome in OUTCOMES else None


@dataclass(frozen=True)
class QuotationReview:
    """A quotation's review state and what an edit of it sends back (its anchor and version)."""

    state: str
    anchor: str
    version: int


def article_reviews(store: Store, article_id: str) -> dict[str, QuotationReview]:
    """Review state, anchor and version of each of the article's quotations, by quotation id."""
    filters = SearchFilters(article=article_id)
    hits = store.search(filters, limit=max(1, store.count(filters)))
    return {h.qid: QuotationReview(h.review_state, h.anchor, store.version(article_id, h.anchor)) for h in hits}


def review_context(request: Request, store: Store, doc: Document) -> dict[str, Any]:
    """What article.html needs for the marks and, for reviewers, the correction forms."""
    session = sessions.session_of(request)
    return {
        "reviews": article_reviews(store, doc.id or ""),
        "outcome": outcome_of(request),
        "history": store.history(doc.id) if session.reviewer else [],
    }


def speaker_context(request: Request, store: Store, entity_id: str) -> dict[str, Any]:
    """What speaker.html needs for the marks and, for admins, the forms and the history."""
    session = sessions.session_of(request)
    return {
        "outcome": outcome_of(request),
        "entity_history": store.entity_history(entity_id) if session.admin else [],
        "entity_kinds": ENTITY_KINDS,
    }
