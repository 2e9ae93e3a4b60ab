"""The JSON API under /api (documented at /openapi.json, shown at /docs); its messages are English."""

from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from .. import api
from ..api import SearchFilters
from .links import Links
from .queries import StoreDep, found, network_edges, network_out, paginate, speaker_out
from .review_view import article_reviews
from .schemas import (
    ArticleOut,
    ArticleSummaryOut,
    EntityOut,
    ErrorOut,
    HitOut,
    NetworkOut,
    PageOut,
    Paging,
    SpeakerOut,
    paging,
    search_filters,
    text_param,
)

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such item, or a page past the last one"}
}
BAD_QUERY: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "The search query cannot be read (e.g. an unbalanced quote)"}
}


def past_last(page: int, pages: int) -> str:
    return f"page {page} is past the last page ({pages})"


EDGE_KIND = Query(pattern="^(quotes|addresses|reports)?$", description="only this edge kind")
router = APIRouter(prefix="/api", tags=["api"])


@router.get("/quotations", response_model=PageOut[HitOut], responses=NOT_FOUND | BAD_QUERY)
def api_quotations(
    store: StoreDep,
    filters: Annotated[SearchFilters, Depends(search_filters)],
    paging: Annotated[Paging, Depends(paging)],
) -> PageOut[HitOut]:
    """Search quotations: full text plus filters, newest first, paginated."""
    total = store.count(filters)
    items, pages = paginate(lambda n, o: store.search(filters, limit=n, offset=o), total, paging, past_last)
    return PageOut[HitOut](
        total=total, page=paging.page, per_page=paging.per_page, pages=pages, items=[HitOut.of(h) for h in items]
    )


DOWNLOAD_FORMAT = Query(pattern="^(csv|jsonl)$", description="csv (formula-like cells neutralised) or jsonl")


def attachment(body: str, name: str, fmt: str) -> Response:
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson; charset=utf-8"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@router.get("/download/quotations", response_class=Response, responses=BAD_QUERY)
def api_download_quotations(
    store: StoreDep,
    filters: Annotated[SearchFilters, Depends(search_filters)],
    format: Annotated[str, DOWNLOAD_FORMAT] = "csv",
) -> Response:
    """Every quotation the search finds (not only one page), as a CSV or JSON Lines file: the export's rows."""
    out = io.StringIO()
    api.export(store, filters, format, stdout=out)
    return attachment(out.getvalue(), "quotations", format)


@router.get("/download/speakers", response_class=Response)
def api_download_speakers(
    store: StoreDep,
    q: Annotated[str | None, text_param("part of a name or alias")] = None,
    format: Annotated[str, DOWNLOAD_FORMAT] = "csv",
) -> Response:
    """Every speaker the list shows, as a CSV or JSON Lines file."""
    rows = [
        {
            "entity_id": e.id,
            "name": e.name,
            "kind": e.kind,
            "quotations": e.quotation_count,
            "aliases": "; ".join(e.aliases + e.manual_aliases),
            "descriptors": "; ".join(e.descriptors),
        }
        for e in store.entities(q, limit=store.count_entities(q) or 1)
    ]
    return attachment(api.table_file(rows, format), "speakers", format)


@router.get("/articles", response_model=PageOut[ArticleSummaryOut], responses=NOT_FOUND)
def api_articles(store: StoreDep, paging: Annotated[Paging, Depends(paging)]) -> PageOut[ArticleSummaryOut]:
    """Stored articles, newest first."""
    total = store.stats().articles
    items, pages = paginate(lambda n, o: store.articles(limit=n, offset=o), total, paging, past_last)
    return PageOut[ArticleSummaryOut](
        total=total,
        page=paging.page,
        per_page=paging.per_page,
        pages=pages,
        items=[ArticleSummaryOut.of(a) for a in items],
    )


@router.get("/articles/{article_id:path}", response_model=ArticleOut, responses=NOT_FOUND)
def api_article(store: StoreDep, article_id: str) -> ArticleOut:
    """One article: its text and every quotation with its parts as character spans into the text.

    The id is one percent-encoded path segment (`a%2Fb` for the id `a/b`).
    """
    doc = found(store.article(article_id), f"no article with id {article_id!r}")
    return ArticleOut.of(doc, article_reviews(store, article_id))


@router.get("/speakers", response_model=PageOut[EntityOut], responses=NOT_FOUND)
def api_speakers(
    store: StoreDep,
    paging: Annotated[Paging, Depends(paging)],
    q: Annotated[str | None, text_param("part of a name or alias")] = None,
) -> PageOut[EntityOut]:
    """Speakers (resolved entities), most quoted first."""
    total = store.count_entities(q)
    items, pages = paginate(lambda n, o: store.entities(q, limit=n, offset=o), total, paging, past_last)
    return PageOut[EntityOut](
        total=total, page=paging.page, per_page=paging.per_page, pages=pages, items=[EntityOut.of(e) for e in items]
    )


@router.get("/speakers/{entity_id:path}", response_model=SpeakerOut, responses=NOT_FOUND)
def api_speaker(store: StoreDep, entity_id: str) -> SpeakerOut:
    """One speaker: aliases, descriptors, and counts by type, medium, addressee and period (id percent-encoded)."""
    return speaker_out(store, entity_id, f"no speaker with id {entity_id!r}")


@router.get("/network", response_model=NetworkOut)
def api_network(
    request: Request,
    store: StoreDep,
    kind: Annotated[str | None, EDGE_KIND] = None,
    min_weight: Annotated[int, Query(ge=1, le=1000, description="fewest quotations on an edge")] = 1,
) -> NetworkOut:
    """Graph of who quotes or addresses whom and which sources report which speakers."""
    links: Links = request.app.state.links
    return network_out(network_edges(store, kind or None, min_weight), lambda i: links("speaker_page", entity_id=i))
