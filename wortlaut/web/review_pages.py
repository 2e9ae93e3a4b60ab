"""Reviewers at work: signing in and out, correcting quotations on the article page, changing speakers, and
the review queue.

Every write is a plain form POSTed to a route here (static/review.js only fills in what a reader selected
in the text and suggests speakers), answered with a redirect back to the page that shows the result
(`?review=<outcome>`), so the pages work without script and a reload never sends a form twice. The routes
depend on `auth.reviewer_write` or `auth.admin_write`: 403 for visitors who may not write, and for any
form without the session's CSRF token. JSON clients write through `POST /api/corrections`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from ..api import CorrectionError, SearchFilters, StaleEdit, Store
from ..document import ENTITY_KINDS, MEDIA, PARTS, QUOTATION_TYPES
from . import auth, review_view, sessions, templating
from .auth import SessionDep
from .pages import Page, links, past_last
from .queries import StoreDep, paginate
from .schemas import Paging, filter_params, paging, search_filters

Text = Annotated[str, Form(max_length=2000)]

pages_router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
sign_router = APIRouter(include_in_schema=False, dependencies=[Depends(auth.session_write)])
reviewer_router = APIRouter(include_in_schema=False, dependencies=[Depends(auth.reviewer_write)])
admin_router = APIRouter(include_in_schema=False, dependencies=[Depends(auth.admin_write)])
api_router = APIRouter(prefix="/api", tags=["review"], dependencies=[Depends(auth.reviewer_write)])


def cookies(request: Request) -> sessions.SessionCookies:
    found: sessions.SessionCookies = request.app.state.session_cookies
    return found


def back(url: str, outcome: str, fragment: str = "") -> RedirectResponse:
    """To the page the form was on, saying how the write went."""
    return RedirectResponse(f"{url}?{urlencode({'review': outcome})}{'#' + fragment if fragment else ''}", 303)


# ---- signing in and out


@pages_router.get("/anmelden", name="sign_in_page")
def sign_in_page(request: Request) -> HTMLResponse:
    """The sign-in form; a visitor without a session gets one here, for the form's CSRF token."""
    fresh = sessions.new_session() if not sessions.session_of(request).csrf else None
    if fresh:
        request.state.session = fresh
    response = templating.page(request, "sign_in.html", outcome=review_view.outcome_of(request), failure=None)
    if fresh:
        cookies(request).attach(response, fresh)
    return response


@sign_router.post("/anmelden", name="sign_in")
def sign_in(request: Request, store: StoreDep, name: Text, password: Text) -> Response:
    """Check the password (throttled per name and per client); a new session on success (no fixation)."""
    throttle: auth.LoginThrottle = request.app.state.login_throttle
    keys = auth.throttle_keys(request, name)
    wait = throttle.wait(keys)
    if wait > 0:
        return templating.page(request, "sign_in.html", 429, outcome=None, failure=("throttled", int(wait) + 1))
    account = store.login(name, password)
    if account is None:
        throttle.failed(keys)
        return templating.page(request, "sign_in.html", 401, outcome=None, failure=("wrong", 0))
    throttle.succeeded(keys[0])
    response = back(links(request)("review_queue_page"), "signed_in")
    cookies(request).attach(response, sessions.new_session(account.name, account.role))
    return response


@sign_router.post("/abmelden", name="sign_out")
def sign_out(request: Request) -> Response:
    if not sessions.session_of(request).user:
        raise auth.forbidden(request, "auth.forbidden")
    response = back(links(request)("home"), "signed_out")
    cookies(request).clear(response)
    return response


# ---- correcting a quotation


@dataclass(frozen=True)
class Target:
    """The quotation a form is about: its article, anchor, the version the reviewer saw and its id on the page."""

    article: str
    anchor: str
    version: int | None
    qid: str


def target(
    article: Annotated[str, Form(max_length=2000)],
    anchor: Annotated[str, Form(pattern=r"^\d+-\d+$", max_length=40)],
    version: Annotated[int | None, Form(ge=0)] = None,
    qid: Annotated[str, Form(max_length=200)] = "",
) -> Target:
    return Target(article, anchor, version, qid)


TargetDep = Annotated[Target, Depends(target)]


def chosen_span(text: str, words: str, start: int | None, end: int | None, near: int) -> list[int] | None:
    """The words a reviewer chose: the selection's offsets when they still hold those words, else the
    occurrence of the words nearest the quotation; None when the article does not contain them."""
    words = words.strip()
    if not words:
        return None
    if start is not None and end is not None and 0 <= start < end <= len(text) and text[start:end].strip() == words:
        skipped = len(text[start:end]) - len(text[start:end].lstrip())
        return [start + skipped, start + skipped + len(words)]
    found = []
    at = text.find(words)
    while at >= 0:
        found.append(at)
        at = text.find(words, at + 1)
    if not found:
        return None
    best = min(found, key=lambda position: abs(position - near))
    return [best, best + len(words)]


def picked_entity(store: Store, value: str) -> dict[str, str] | None:
    """The speaker a reviewer picked: by id (what the suggestions fill in) or by its exact name or alias."""
    value = " ".join(value.split())
    if not value:
        return None
    entity = store.entity(value)
    if entity is None:
        folded = value.casefold()
        named = [
            e
            for e in store.entities(value, limit=20)
            if folded in {n.casefold() for n in (e.name, *e.aliases, *e.manual_aliases)}
        ]
        entity = named[0] if len(named) == 1 else None
    return {"id": entity.id, "name": entity.name, "kind": entity.kind} if entity else None


class Refused(Exception):
    """A form that cannot become a correction; the outcome says why."""

    def __init__(self, outcome: str) -> None:
        super().__init__(outcome)
        self.outcome = outcome


def corrected(
    request: Request,
    store: Store,
    session: sessions.Session,
    where: Target,
    action: str,
    after: Callable[[], dict[str, Any]] | dict[str, Any],
) -> RedirectResponse:
    """Make one correction and go back to the article, at the quotation, saying how it went. `after` may be
    built from the form only now (it raises Refused when the form cannot be read as a correction)."""
    outcome = "saved"
    try:
        store.correct(
            where.article,
            where.anchor,
            action,
            after() if callable(after) else after,
            reviewer=session.user or "",
            expected_version=where.version,
        )
    except Refused as refused:
        outcome = refused.outcome
    except StaleEdit:
        outcome = "stale"
    except CorrectionError:
        outcome = "invalid"
    except KeyError:
        outcome = "missing"
    url = links(request)("article_page", article_id=where.article)
    return back(url, outcome, f"q-{where.qid}" if where.qid else "")


def article_text(store: Store, article_id: str) -> str:
    doc = store.article(article_id)
    if doc is None:
        raise Refused("missing")
    return doc.text


def span_from_form(store: Store, where: Target, words: str, start: int | None, end: int | None) -> list[int]:
    span = chosen_span(article_text(store, where.article), words, start, end, int(where.anchor.split("-")[0]))
    if span is None:
        raise Refused("no_words")
    return span


def entity_from_form(store: Store, value: str) -> dict[str, str] | None:
    entity = picked_entity(store, value)
    if value.strip() and entity is None:
        raise Refused("unknown_entity")
    return entity


Offset = Annotated[int | None, Form(ge=0)]


@reviewer_router.post("/review/confirm", name="review_confirm")
def review_confirm(request: Request, where: TargetDep, store: StoreDep, session: SessionDep) -> RedirectResponse:
    return corrected(request, store, session, where, "confirm", {})


@reviewer_router.post("/review/reject", name="review_reject")
def review_reject(request: Request, where: TargetDep, store: StoreDep, session: SessionDep) -> RedirectResponse:
    """ "Kein Zitat": the quotation disappears from pages, search and export (and the log keeps it)."""
    return corrected(request, store, session, where, "reject", {})


@reviewer_router.post("/review/speaker", name="review_speaker")
def review_speaker(
    request: Request,
    where: TargetDep,
    store: StoreDep,
    session: SessionDep,
    words: Text = "",
    start: Offset = None,
    end: Offset = None,
    entity: Text = "",
) -> RedirectResponse:
    """The speaker: words chosen in the text (resolved to a speaker of that name), a picked speaker, or both."""

    def after() -> dict[str, Any]:
        if not words.strip() and not entity.strip():
            raise Refused("no_words")
        picked = entity_from_form(store, entity) or (picked_entity(store, words) if words.strip() else None)
        spans = [span_from_form(store, where, words, start, end)] if words.strip() else current_spans(store, where)
        return {"speaker": spans, "entity": picked}

    return corrected(request, store, session, where, "set_speaker", after)


def current_spans(store: Store, where: Target) -> list[list[int]]:
    """The speaker's words as they are now (kept when only the speaker entity changes)."""
    doc = store.article(where.article)
    if doc is None:
        raise Refused("missing")
    for quotation in doc.quotations:
        if quotation.id == where.qid:
            return [[s.start, s.end] for s in quotation.speaker]
    raise Refused("missing")


@reviewer_router.post("/review/spans", name="review_spans")
def review_spans(
    request: Request,
    where: TargetDep,
    store: StoreDep,
    session: SessionDep,
    part: Annotated[str, Form(pattern="^(" + "|".join(PARTS) + ")$")],
    words: Text = "",
    start: Offset = None,
    end: Offset = None,
) -> RedirectResponse:
    """Move a part's boundaries to the chosen words (an empty choice removes a part other than the quote)."""

    def after() -> dict[str, Any]:
        chosen = words.strip() or part == "quote"
        return {part: [span_from_form(store, where, words, start, end)] if chosen else []}

    return corrected(request, store, session, where, "set_spans", after)


@reviewer_router.post("/review/type", name="review_type")
def review_type(
    request: Request,
    where: TargetDep,
    store: StoreDep,
    session: SessionDep,
    type: Annotated[str, Form(pattern="^(" + "|".join(QUOTATION_TYPES) + ")$")],
) -> RedirectResponse:
    return corrected(request, store, session, where, "set_type", {"type": type})


@reviewer_router.post("/review/medium", name="review_medium")
def review_medium(
    request: Request,
    where: TargetDep,
    store: StoreDep,
    session: SessionDep,
    medium: Annotated[str, Form(pattern="^(" + "|".join(MEDIA) + ")$")],
) -> RedirectResponse:
    return corrected(request, store, session, where, "set_medium", {"medium": medium})


@reviewer_router.post("/review/nesting", name="review_nesting")
def review_nesting(
    request: Request,
    where: TargetDep,
    store: StoreDep,
    session: SessionDep,
    nested_in: Annotated[str, Form(pattern=r"^(\d+-\d+)?$", max_length=40)] = "",
) -> RedirectResponse:
    """Nest the quotation in the one at that anchor, or (empty) make it top-level."""
    return corrected(request, store, session, where, "set_nesting", {"nested_in": nested_in or None})


@reviewer_router.post("/review/add", name="review_add")
def review_add(
    request: Request,
    store: StoreDep,
    session: SessionDep,
    article: Annotated[str, Form(max_length=2000)],
    quote: Text = "",
    quote_start: Offset = None,
    quote_end: Offset = None,
    speaker: Text = "",
    speaker_start: Offset = None,
    speaker_end: Offset = None,
    entity: Text = "",
    type: Annotated[str, Form(pattern="^(" + "|".join(QUOTATION_TYPES) + ")$")] = "Direct",
    medium: Annotated[str, Form(pattern="^(" + "|".join(MEDIA) + ")$")] = "Speech",
) -> RedirectResponse:
    """A quotation the model missed: its words, then its speaker's words and/or a picked speaker."""
    url = links(request)("article_page", article_id=article)
    try:
        text = article_text(store, article)
        quote_span = chosen_span(text, quote, quote_start, quote_end, 0)
        if quote_span is None:
            raise Refused("no_words")
        speaker_span = chosen_span(text, speaker, speaker_start, speaker_end, quote_span[0]) if speaker else None
        if speaker.strip() and speaker_span is None:
            raise Refused("no_words")
        picked = entity_from_form(store, entity) or (picked_entity(store, speaker) if speaker.strip() else None)
    except Refused as refused:
        return back(url, refused.outcome, "add-quotation")
    anchor = f"{quote_span[0]}-{quote_span[1]}"
    after = {
        "type": type,
        "medium": medium,
        "quote": [quote_span],
        "speaker": [speaker_span] if speaker_span else [],
        "entity": picked,
    }
    return corrected(request, store, session, Target(article, anchor, None, f"r{anchor}"), "add", after)


@reviewer_router.post("/review/undo", name="review_undo")
def review_undo(
    request: Request,
    store: StoreDep,
    session: SessionDep,
    article: Annotated[str, Form(max_length=2000)],
    correction: Annotated[int, Form(ge=1)],
) -> RedirectResponse:
    """Take back one of the article's corrections (speakers' changes are undone on the speaker page)."""
    url = links(request)("article_page", article_id=article)
    outcome = "saved"
    try:
        if correction not in {c.id for c in store.history(article)}:
            raise KeyError(correction)
        store.undo(correction, reviewer=session.user or "")
    except CorrectionError:
        outcome = "invalid"
    except KeyError:  # not this article's, or its quotation is gone
        outcome = "missing"
    return back(url, outcome, "review-history")


# ---- speakers (admins)


def speaker_url(request: Request, entity_id: str) -> str:
    return links(request)("speaker_page", entity_id=entity_id)


EntityId = Annotated[str, Form(max_length=2000)]


def entity_changed(
    request: Request, entity_id: str, change: Callable[[], Any], outcome: str = "saved", then: str = ""
) -> Response:
    """Carry out a change to a speaker and go back to its page, or to `then`'s (a bad value, an unknown id or a
    stale undo says so)."""
    try:
        change()
    except StaleEdit:
        outcome = "stale_undo"
    except CorrectionError:
        outcome = "invalid"
    except (KeyError, ValueError):
        outcome = "missing"
    else:
        entity_id = then or entity_id
    return back(speaker_url(request, entity_id), outcome, "speaker-review")


@admin_router.post("/review/speakers/rename", name="speaker_rename")
def speaker_rename(request: Request, store: StoreDep, session: SessionDep, entity: EntityId, name: Text) -> Response:
    return entity_changed(request, entity, lambda: store.rename_entity(entity, name, reviewer=session.user or ""))


@admin_router.post("/review/speakers/kind", name="speaker_kind")
def speaker_kind(
    request: Request,
    store: StoreDep,
    session: SessionDep,
    entity: EntityId,
    kind: Annotated[str, Form(pattern="^(" + "|".join(ENTITY_KINDS) + ")$")],
) -> Response:
    return entity_changed(request, entity, lambda: store.set_entity_kind(entity, kind, reviewer=session.user or ""))


@admin_router.post("/review/speakers/merge", name="speaker_merge")
def speaker_merge(request: Request, store: StoreDep, session: SessionDep, entity: EntityId, other: Text) -> Response:
    """Merge the speaker picked in the search box into this one (logged in both speakers' histories)."""
    picked = picked_entity(store, other)
    if picked is None or picked["id"] == entity:
        return back(speaker_url(request, entity), "unknown_entity", "speaker-review")
    other_id = picked["id"]
    return entity_changed(
        request, entity, lambda: store.merge_entities(entity, other_id, reviewer=session.user or ""), "merged"
    )


@admin_router.post("/review/speakers/split", name="speaker_split")
def speaker_split(request: Request, store: StoreDep, session: SessionDep, entity: EntityId, alias: Text) -> Response:
    """Give one of this speaker's names its own speaker (its quotations go with it); shows the new speaker."""
    try:
        new_id = store.split_alias(alias, reviewer=session.user or "")
    except KeyError:
        return back(speaker_url(request, entity), "missing", "speaker-review")
    return back(speaker_url(request, new_id), "split", "speaker-review")


@admin_router.post("/review/speakers/undo", name="speaker_undo")
def speaker_undo(
    request: Request,
    store: StoreDep,
    session: SessionDep,
    entity: EntityId,
    correction: Annotated[int, Form(ge=1)],
) -> Response:
    """Take back a change shown in the speaker's history; undoing a split goes to the speaker the name went back to."""
    original = next((c for c in store.entity_history(entity) if c.id == correction), None)
    if original is None:
        return back(speaker_url(request, entity), "missing", "speaker-review")
    gone = original.action == "split" and original.after["entity"] == entity
    then = str(original.before["entity"]) if gone else ""
    return entity_changed(request, entity, lambda: store.undo(correction, reviewer=session.user or ""), then=then)


# ---- the review queue


@pages_router.get("/review", name="review_queue_page")
@pages_router.get("/pruefen", name="review_queue_page_de")
def review_queue_page(
    request: Request,
    store: StoreDep,
    filters: Annotated[SearchFilters, Depends(search_filters)],
    paging: Annotated[Paging, Depends(paging)],
) -> HTMLResponse:
    """Unreviewed quotations, least sure first, with how far the review has come for these filters."""
    progress = store.review_progress(filters)
    open_count = progress.total - progress.reviewed
    items, _ = paginate(
        lambda n, o: store.review_queue(filters, limit=n, offset=o), open_count, paging, past_last(request)
    )
    here = links(request)("review_queue_page")
    listing = Page(items, open_count, paging.page, paging.per_page, here, filter_params(filters))
    return templating.page(
        request,
        "review_queue.html",
        filters=filters,
        sources=store.sources(),
        progress=progress,
        page=listing,
        outcome=review_view.outcome_of(request),
    )


# ---- the JSON API


class CorrectionIn(BaseModel):
    """One correction, as `store.correct` takes it; `anchor` and `expected_version` come from the article
    (GET /api/articles/{id}), `after` depends on the action (e.g. set_type: {"type": "Indirect"})."""

    article_id: str = Field(max_length=2000)
    anchor: str = Field(pattern=r"^\d+-\d+$", max_length=40, description="START-END of the quote, as `anchor`")
    action: str = Field(description="confirm, reject, set_speaker, set_spans, set_type, set_medium, set_nesting, add")
    after: dict[str, Any] = Field(default_factory=dict)
    expected_version: int | None = Field(default=None, ge=0)


class CorrectionOut(BaseModel):
    id: int


@api_router.post(
    "/corrections",
    response_model=CorrectionOut,
    responses={
        400: {"description": "A correction that cannot be made"},
        403: {"description": "Not signed in as a reviewer, or no X-CSRF-Token header"},
        404: {"description": "No such article or quotation"},
        409: {"description": "Another reviewer changed the quotation first"},
    },
)
def api_correct(body: CorrectionIn, store: StoreDep, session: SessionDep) -> CorrectionOut:
    """Correct one quotation (signed-in reviewers; send the session's CSRF token in `X-CSRF-Token`)."""
    if body.action == "undo":
        raise HTTPException(400, "undo through the page or `wortlaut review undo`")
    try:
        number = store.correct(
            body.article_id,
            body.anchor,
            body.action,
            body.after,
            reviewer=session.user or "",
            expected_version=body.expected_version,
        )
    except StaleEdit as err:
        raise HTTPException(409, str(err)) from None
    except CorrectionError as err:
        raise HTTPException(400, str(err)) from None
    except KeyError as err:
        raise HTTPException(404, str(err.args[0])) from None
    return CorrectionOut(id=number)


ROUTERS = (pages_router, sign_router, reviewer_router, admin_router, api_router)
