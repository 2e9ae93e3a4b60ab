"""The web interface: server-rendered pages and a JSON API over one Store, both using the store's read API.

    from wortlaut.store import open_store
    from wortlaut.web.app import create_app
    app = create_app(open_store("wortlaut.sqlite"))   # then: uvicorn, or `wortlaut serve`

Every asset (CSS, JS, Swagger UI) is served from wortlaut/web/static, so the app works offline.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..api import NetworkEdge, QueryError, SearchFilters, Store, highlight_terms
from ..document import MEDIA, QUOTATION_TYPES, Document
from ..settings import VERSION
from . import render
from .overview import overview_router
from .schemas import (
    ArticleOut,
    ArticleSummaryOut,
    Count,
    EntityOut,
    ErrorOut,
    HitOut,
    LinkOut,
    NetworkOut,
    NodeOut,
    PageOut,
    Paging,
    SpeakerOut,
    filter_params,
    paging,
    search_filters,
    text_param,
)

HERE = Path(__file__).parent
EDGE_KINDS = {"quotes": "quotes (nesting)", "addresses": "addresses", "reports": "reports (source → speaker)"}
NOT_FOUND = {404: {"model": ErrorOut, "description": "No such item, or a page past the last one"}}
BAD_QUERY = {400: {"model": ErrorOut, "description": "The search query cannot be read (e.g. an unbalanced quote)"}}


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
        query = urlencode([*self.params, *extra, ("page", str(number))])
        return f"{self.base_url}?{query}"

    @property
    def prev_url(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.pages else None


def paginate(fetch: Callable[[int, int], Sequence[Any]], total: int, paging: Paging) -> tuple[list[Any], int]:
    """Items of the requested page; a page past the last one is a 404, not an empty list."""
    pages = max(1, math.ceil(total / paging.per_page))
    if paging.page > pages:
        raise HTTPException(404, f"page {paging.page} is past the last page ({pages})")
    return list(fetch(paging.per_page, paging.offset)), pages


def safe_link(url: str | None) -> str | None:
    """Only http(s) links are rendered as links: a `javascript:` URL in the data must not become clickable."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def speaker_out(store: Store, entity_id: str) -> SpeakerOut:
    """The speaker with its aggregates (404 when unknown); shared by the speaker page and /api/speakers/{id}."""
    entity = store.entity(entity_id)
    if entity is None:
        raise HTTPException(404, f"no speaker with id {entity_id!r}")
    profile = store.entity_profile(entity_id)

    def counts(pairs: Sequence[tuple[str, int]]) -> list[Count]:
        return [Count(key=k, count=n) for k, n in pairs]

    return SpeakerOut(
        **EntityOut.of(entity).model_dump(),
        types=counts(profile.types),
        media=counts(profile.media),
        addressees=counts(profile.addressees),
        timeline=counts(render.timeline_buckets(profile.dates)),
    )


def network_out(edges: Sequence[NetworkEdge], speaker_url: Callable[[str], str]) -> NetworkOut:
    """Nodes (weighted by the quotations on their edges) and links for the network page's force layout."""
    nodes: dict[str, NodeOut] = {}
    links = []
    for edge in edges:
        ends = []
        for node in (edge.source, edge.target):
            key = f"{node.kind}:{node.id}"
            if key not in nodes:
                kind = "speaker" if node.kind == "entity" else node.kind
                url = speaker_url(node.id) if node.kind == "entity" else None
                nodes[key] = NodeOut(id=key, label=node.label, kind=kind, weight=0, url=url)
            nodes[key].weight += edge.weight
            ends.append(key)
        links.append(LinkOut(source=ends[0], target=ends[1], kind=edge.kind, weight=edge.weight))
    return NetworkOut(nodes=list(nodes.values()), links=links)


def create_app(store: Store) -> FastAPI:
    """The FastAPI app for one open Store (the caller owns and closes the store)."""
    app = FastAPI(
        title="wortlaut",
        summary="Who said what, to whom, how and when: quotations in German news.",
        version=VERSION,
        docs_url=None,
        redoc_url=None,
    )
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals["part_labels"] = render.PART_LABELS
    templates.env.globals["mark"] = render.marked
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    api = APIRouter(prefix="/api", tags=["api"])

    def page_of(request: Request, items: list[Any], total: int, paging: Paging, params: list[tuple[str, str]]) -> Page:
        return Page(items, total, paging.page, paging.per_page, str(request.url.path), params)

    def html(request: Request, name: str, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context)

    def network_edges(kind: str | None, min_weight: int) -> list[NetworkEdge]:
        return [e for e in store.network(min_weight=min_weight) if kind is None or e.kind == kind]

    # ---- JSON API ----------------------------------------------------------------------------------------

    @api.get("/quotations", response_model=PageOut[HitOut], responses=NOT_FOUND | BAD_QUERY)
    def api_quotations(
        filters: Annotated[SearchFilters, Depends(search_filters)], paging: Annotated[Paging, Depends(paging)]
    ) -> PageOut[HitOut]:
        """Search quotations: full text plus filters, newest first, paginated."""
        total = store.count(filters)
        items, pages = paginate(lambda n, o: store.search(filters, limit=n, offset=o), total, paging)
        return PageOut[HitOut](
            total=total, page=paging.page, per_page=paging.per_page, pages=pages, items=[HitOut.of(h) for h in items]
        )

    @api.get("/articles", response_model=PageOut[ArticleSummaryOut], responses=NOT_FOUND)
    def api_articles(paging: Annotated[Paging, Depends(paging)]) -> PageOut[ArticleSummaryOut]:
        """Stored articles, newest first."""
        total = store.stats().articles
        items, pages = paginate(lambda n, o: store.articles(limit=n, offset=o), total, paging)
        return PageOut[ArticleSummaryOut](
            total=total,
            page=paging.page,
            per_page=paging.per_page,
            pages=pages,
            items=[ArticleSummaryOut.of(a) for a in items],
        )

    @api.get("/articles/{article_id}", response_model=ArticleOut, responses=NOT_FOUND)
    def api_article(article_id: str) -> ArticleOut:
        """One article: its text and every quotation with its parts as character spans into the text."""
        return ArticleOut.of(article_or_404(article_id))

    @api.get("/speakers", response_model=PageOut[EntityOut], responses=NOT_FOUND)
    def api_speakers(
        paging: Annotated[Paging, Depends(paging)],
        q: Annotated[str | None, text_param("part of a name or alias")] = None,
    ) -> PageOut[EntityOut]:
        """Speakers (resolved entities), most quoted first."""
        total = store.count_entities(q)
        items, pages = paginate(lambda n, o: store.entities(q, limit=n, offset=o), total, paging)
        return PageOut[EntityOut](
            total=total, page=paging.page, per_page=paging.per_page, pages=pages, items=[EntityOut.of(e) for e in items]
        )

    @api.get("/speakers/{entity_id}", response_model=SpeakerOut, responses=NOT_FOUND)
    def api_speaker(entity_id: str) -> SpeakerOut:
        """One speaker: aliases, descriptors, and counts by type, medium, addressee and period."""
        return speaker_out(store, entity_id)

    @api.get("/network", response_model=NetworkOut)
    def api_network(
        kind: Annotated[
            str | None, Query(pattern="^(quotes|addresses|reports)?$", description="only this edge kind")
        ] = None,
        min_weight: Annotated[int, Query(ge=1, le=1000, description="fewest quotations on an edge")] = 1,
    ) -> NetworkOut:
        """Graph of who quotes or addresses whom and which sources report which speakers."""
        return network_out(
            network_edges(kind or None, min_weight), lambda i: app.url_path_for("speaker_page", entity_id=i)
        )

    app.include_router(api)
    app.include_router(overview_router(store, templates))

    def article_or_404(article_id: str) -> Document:
        doc = store.article(article_id)
        if doc is None:
            raise HTTPException(404, f"no article with id {article_id!r}")
        return doc

    # ---- pages -----------------------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False, name="home")
    def home(request: Request, paging: Annotated[Paging, Depends(paging)]) -> HTMLResponse:
        stats = store.stats()
        items, _ = paginate(lambda n, o: store.articles(limit=n, offset=o), stats.articles, paging)
        return html(
            request,
            "home.html",
            stats=stats,
            top_speakers=store.entities(limit=12),
            page=page_of(request, items, stats.articles, paging, []),
        )

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False, name="article_page")
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        doc = article_or_404(article_id)
        by_id = {q.id: q for q in doc.quotations}
        children: dict[str, list[Any]] = {}
        for q in doc.quotations:
            if q.nested_in:
                children.setdefault(q.nested_in, []).append(q)
        return html(
            request,
            "article.html",
            doc=doc,
            segments=render.segments(doc),
            by_id=by_id,
            children=children,
            safe_url=safe_link(doc.url),
        )

    @app.get("/speakers", response_class=HTMLResponse, include_in_schema=False, name="speakers_page")
    def speakers_page(
        request: Request,
        paging: Annotated[Paging, Depends(paging)],
        q: Annotated[str | None, text_param("part of a name or alias")] = None,
    ) -> HTMLResponse:
        total = store.count_entities(q)
        items, _ = paginate(lambda n, o: store.entities(q, limit=n, offset=o), total, paging)
        page = page_of(request, items, total, paging, [("q", q)] if q else [])
        return html(request, "speakers.html", page=page, params={"q": q})

    @app.get("/speakers/{entity_id}", response_class=HTMLResponse, include_in_schema=False, name="speaker_page")
    def speaker_page(request: Request, entity_id: str, paging: Annotated[Paging, Depends(paging)]) -> HTMLResponse:
        speaker = speaker_out(store, entity_id)
        filters = SearchFilters(entity=entity_id)
        items, _ = paginate(lambda n, o: store.search(filters, limit=n, offset=o), speaker.quotation_count, paging)
        timeline = render.bar_chart([(c.key, c.count) for c in speaker.timeline])
        return html(
            request,
            "speaker.html",
            speaker=speaker,
            timeline=timeline,
            ticks=render.tick_labels(timeline.bars),
            page=page_of(request, items, speaker.quotation_count, paging, []),
        )

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False, name="search_page")
    def search_page(
        request: Request,
        filters: Annotated[SearchFilters, Depends(search_filters)],
        paging: Annotated[Paging, Depends(paging)],
    ) -> HTMLResponse:
        total = store.count(filters)
        items, _ = paginate(lambda n, o: store.search(filters, limit=n, offset=o), total, paging)
        return html(
            request,
            "search.html",
            filters=filters,
            types=QUOTATION_TYPES,
            media=MEDIA,
            sources=store.sources(),
            terms=highlight_terms(filters.query),
            page=page_of(request, items, total, paging, filter_params(filters)),
        )

    @app.get("/network", response_class=HTMLResponse, include_in_schema=False, name="network_page")
    def network_page(
        request: Request,
        kind: Annotated[str | None, Query(pattern="^(quotes|addresses|reports)?$")] = None,
        min_weight: Annotated[int, Query(ge=1, le=1000)] = 1,
    ) -> HTMLResponse:
        query = urlencode([("kind", kind or ""), ("min_weight", str(min_weight))])
        return html(
            request,
            "network.html",
            edge_kinds=EDGE_KINDS,
            params={"kind": kind or "", "min_weight": min_weight},
            api_url=f"{app.url_path_for('api_network')}?{query}",
        )

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False, name="api_docs")
    def api_docs(request: Request) -> HTMLResponse:
        """Swagger UI from the local static files (no CDN)."""
        return html(request, "docs.html")

    install_error_pages(app, templates)
    install_security_headers(app)
    return app


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def install_security_headers(app: FastAPI) -> None:
    """Defence in depth behind the escaping: no inline or foreign script may run, nothing loads from elsewhere."""

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Any]) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response


def install_error_pages(app: FastAPI, templates: Jinja2Templates) -> None:
    """JSON errors under /api (and for the OpenAPI document), an HTML page with the same message elsewhere."""

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path == "/api"

    def page(request: Request, status: int, message: str) -> Response:
        reasons = {400: "Bad request", 404: "Not found", 405: "Method not allowed", 422: "Invalid parameters"}
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": status, "reason": reasons.get(status, "Error"), "message": message},
            status_code=status,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(QueryError)
    async def query_error(request: Request, exc: QueryError) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=400)
        return page(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", "invalid"), "type": e.get("type", "value_error")}
            for e in exc.errors()
        ]
        if wants_json(request):
            return JSONResponse({"detail": errors}, status_code=422)
        message = "; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in errors)
        return page(request, 422, message)
