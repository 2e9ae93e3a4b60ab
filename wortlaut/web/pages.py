"""The server-rendered pages, in the reader's language (see i18n); they read the store like the API does."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from ..api import SearchFilters, highlight_terms
from ..document import Document, Quotation
from . import i18n, render, review_view, templating
from .links import Links
from .queries import PastLast, StoreDep, found, paginate, speaker_out
from .schemas import Paging, filter_params, paging, search_filters, text_param

EDGE_KINDS = ("quotes", "addresses", "reports")
router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


@dataclass
class Page:
    """One page of a listing, with the links a pager needs (filters kept, so URLs stay shareable)."""

    items: list[Any]
    total: int
    number: int
    per_page: int
    base_url: str
    params: list[tuple[str, str]]

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    def url(self, number: int) -> str:
        extra = [("per_page", str(self.per_page))] if self.per_page != 20 else []
        return f"{self.base_url}?{urlencode([*self.params, *extra, ('page', str(number))])}"

    @property
    def prev_url(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.pages else None


def links(request: Request) -> Links:
    found_links: Links = request.app.state.links
    return found_links


def safe_link(url: str | None) -> str | None:
    """Only http(s) links are rendered as links: a `javascript:` URL in the data must not become clickable."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def past_last(request: Request) -> PastLast:
    t = templating.messages(request)
    return lambda page, pages: t("error.past_last", page=page, pages=pages)


@router.get("/", name="home")
def home(request: Request, store: StoreDep, paging: Annotated[Paging, Depends(paging)]) -> HTMLResponse:
    stats = store.stats()
    items, _ = paginate(lambda n, o: store.articles(limit=n, offset=o), stats.articles, paging, past_last(request))
    listing = Page(items, stats.articles, paging.page, paging.per_page, links(request)("home"), [])
    return templating.page(request, "home.html", stats=stats, top_speakers=store.entities(limit=12), page=listing)


def nesting(doc: Document) -> dict[str, list[Quotation]]:
    """The quotations nested in each quotation, by the outer one's id."""
    children: dict[str, list[Quotation]] = {}
    for q in doc.quotations:
        if q.nested_in:
            children.setdefault(q.nested_in, []).append(q)
    return children


@router.get("/articles/{article_id:path}", name="article_page")
def article_page(request: Request, store: StoreDep, article_id: str) -> HTMLResponse:
    t = templating.messages(request)
    doc = found(store.article(article_id), t("error.no_article", id=article_id))
    return templating.page(
        request,
        "article.html",
        doc=doc,
        segments=render.segments(doc),
        by_id={q.id: q for q in doc.quotations},
        children=nesting(doc),
        safe_url=safe_link(doc.url),
        **review_view.review_context(request, store, doc),
    )


@router.get("/speakers", name="speakers_page")
def speakers_page(
    request: Request,
    store: StoreDep,
    paging: Annotated[Paging, Depends(paging)],
    q: Annotated[str | None, text_param("part of a name or alias")] = None,
) -> HTMLResponse:
    total = store.count_entities(q)
    items, _ = paginate(lambda n, o: store.entities(q, limit=n, offset=o), total, paging, past_last(request))
    listing = Page(items, total, paging.page, paging.per_page, links(request)("speakers_page"), [("q", q)] if q else [])
    download_query = urlencode([("q", q)] if q else [])
    return templating.page(request, "speakers.html", page=listing, params={"q": q}, download_query=download_query)


@router.get("/speakers/{entity_id:path}", name="speaker_page")
def speaker_page(
    request: Request, store: StoreDep, entity_id: str, paging: Annotated[Paging, Depends(paging)]
) -> HTMLResponse:
    t = templating.messages(request)
    speaker = speaker_out(store, entity_id, t("error.no_speaker", id=entity_id))
    filters = SearchFilters(entity=entity_id)
    total = speaker.quotation_count
    items, _ = paginate(lambda n, o: store.search(filters, limit=n, offset=o), total, paging, past_last(request))
    timeline = render.bar_chart([(t.month(c.key), c.count) for c in speaker.timeline])
    here = links(request)("speaker_page", entity_id=entity_id)
    return templating.page(
        request,
        "speaker.html",
        speaker=speaker,
        timeline=timeline,
        ticks=render.tick_labels(timeline.bars),
        page=Page(items, total, paging.page, paging.per_page, here, []),
        **review_view.speaker_context(request, store, entity_id),
    )


@router.get("/search", name="search_page")
def search_page(
    request: Request,
    store: StoreDep,
    filters: Annotated[SearchFilters, Depends(search_filters)],
    paging: Annotated[Paging, Depends(paging)],
) -> HTMLResponse:
    total = store.count(filters)
    items, _ = paginate(lambda n, o: store.search(filters, limit=n, offset=o), total, paging, past_last(request))
    listing = Page(items, total, paging.page, paging.per_page, links(request)("search_page"), filter_params(filters))
    return templating.page(
        request,
        "search.html",
        filters=filters,
        sources=store.sources(),
        terms=highlight_terms(filters.query),
        page=listing,
        download_query=urlencode(filter_params(filters)),
    )


@router.get("/network", name="network_page")
def network_page(
    request: Request,
    kind: Annotated[str | None, Query(pattern="^(quotes|addresses|reports)?$")] = None,
    min_weight: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> HTMLResponse:
    query = urlencode([("kind", kind or ""), ("min_weight", str(min_weight))])
    return templating.page(
        request,
        "network.html",
        edge_kinds=EDGE_KINDS,
        params={"kind": kind or "", "min_weight": min_weight},
        api_url=f"{links(request)('api_network')}?{query}",
    )


@router.get("/hilfe", name="help_page")
@router.get("/help", name="help_page_en")
def help_page(request: Request) -> HTMLResponse:
    """What each quotation type and medium means, with an example sentence for each."""
    return templating.page(request, "help.html", type_examples=i18n.TYPE_EXAMPLES, medium_examples=i18n.MEDIUM_EXAMPLES)


@router.get("/docs", name="api_docs")
def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI from the local static files (no CDN)."""
    return templating.page(request, "docs.html")
