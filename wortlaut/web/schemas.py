"""Request parameters and response shapes of the JSON API (also what /openapi.json documents).

The pages use the same dependencies, so a filter means the same thing in a URL of either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, BeforeValidator, Field, create_model

from ..api import ArticleSummary, EntitySummary, QuotationHit, SearchFilters
from ..document import MEDIA, QUOTATION_TYPES, Document, Quotation, Span
from ..store import QUOTATION_ROW
from .review_view import QuotationReview

QuotationType = Enum("QuotationType", {t: t for t in QUOTATION_TYPES}, type=str)  # type: ignore[misc]
Medium = Enum("Medium", {m: m for m in MEDIA}, type=str)  # type: ignore[misc]
MAX_PER_PAGE = 100
MAX_PAGE = 100_000


def blank_is_none(value: Any) -> Any:
    """HTML forms send empty fields as `x=`; treat them as not given rather than as invalid."""
    return None if isinstance(value, str) and not value.strip() else value


Blank = BeforeValidator(blank_is_none)
OptionalDate = Annotated[date | None, Blank]
OptionalType = Annotated[QuotationType | None, Blank]

OptionalMedium = Annotated[Medium | None, Blank]


def text_param(description: str) -> Any:
    return Query(max_length=200, description=description)


def clean(text: str | None) -> str | None:
    return text.strip() or None if text else None


@dataclass(frozen=True)
class Paging:
    page: int = 1
    per_page: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def paging(
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="1-based page number")] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description="items per page")] = 20,
) -> Paging:
    return Paging(page, per_page)


def search_filters(
    q: Annotated[
        str | None, text_param('words or "a phrase" in the quote or speaker mention; word* for a prefix')
    ] = None,
    speaker: Annotated[str | None, text_param("speaker name, alias or mention")] = None,
    entity: Annotated[str | None, text_param("speaker entity id, exactly")] = None,
    type: Annotated[OptionalType, Query(description="quotation type")] = None,
    medium: Annotated[OptionalMedium, Query(description="medium: Speech, Thought, Writing, a mix, or none")] = None,
    since: Annotated[OptionalDate, Query(description="first article date, YYYY-MM-DD")] = None,
    until: Annotated[OptionalDate, Query(description="last article date, YYYY-MM-DD")] = None,
    source: Annotated[str | None, text_param("article source, exactly")] = None,
    min_confidence: Annotated[
        str | None,
        Query(
            pattern=r"^(|0(\.[0-9]+)?|1(\.0+)?)$",
            description="only quotations at least this sure, 0 to 1 (0.75: about 9 in 10 right)",
        ),
    ] = None,
    reviewed: Annotated[
        str | None,
        Query(pattern="^(|true|false)$", description="true: only reviewed quotations; false: only the others"),
    ] = None,
) -> SearchFilters:
    """FastAPI dependency: the quotation filters, checked once for the pages and the API alike."""
    if since and until and since > until:
        raise RequestValidationError(
            [{"loc": ("query", "until"), "msg": f"until ({until}) is before since ({since})", "type": "value_error"}]
        )
    return SearchFilters(
        query=clean(q),
        speaker=clean(speaker),
        entity=clean(entity),
        type=type.value if type else None,
        medium=medium.value if medium else None,
        date_from=since.isoformat() if since else None,
        date_to=until.isoformat() if until else None,
        source=clean(source),
        min_confidence=float(min_confidence) if min_confidence else None,
        reviewed=None if not reviewed else reviewed == "true",
    )


def filter_params(filters: SearchFilters) -> list[tuple[str, str]]:
    """The filters back as GET parameters, for shareable links and pager URLs."""
    names = {
        "query": "q",
        "speaker": "speaker",
        "entity": "entity",
        "type": "type",
        "medium": "medium",
        "date_from": "since",
        "date_to": "until",
        "source": "source",
        "min_confidence": "min_confidence",
        "reviewed": "reviewed",
    }
    params = []
    for field, param in names.items():
        value = getattr(filters, field)
        if value is not None and value != "":
            params.append((param, str(value).lower() if isinstance(value, bool) else str(value)))
    return params


class ErrorOut(BaseModel):
    detail: str


class SpanOut(BaseModel):
    start: int
    end: int
    text: str


def spans_out(spans: list[Span]) -> list[SpanOut]:
    return [SpanOut(start=s.start, end=s.end, text=s.text) for s in spans]


class EntityRef(BaseModel):
    id: str
    name: str
    kind: str


class QuotationOut(BaseModel):
    """A quotation inside its article: every part as character spans into the article text."""

    id: str
    type: str
    medium: str
    quote: list[SpanOut]
    speaker: list[SpanOut]
    cue: list[SpanOut]
    frame: list[SpanOut]
    addressee: list[SpanOut]
    speaker_entity: EntityRef | None
    nested_in: str | None
    confidence: float
    review_state: str = Field(description="unreviewed, confirmed or corrected by a reviewer")
    anchor: str = Field(description="START-END: how a correction (POST /api/corrections) names the quotation")
    version: int = Field(description="send back as expected_version with a correction")

    @classmethod
    def of(cls, q: Quotation, review: QuotationReview) -> QuotationOut:
        e = q.speaker_entity
        return cls(
            id=q.id,
            type=q.type,
            medium=q.medium,
            quote=spans_out(q.quote),
            speaker=spans_out(q.speaker),
            cue=spans_out(q.cue),
            frame=spans_out(q.frame),
            addressee=spans_out(q.addressee),
            speaker_entity=EntityRef(id=e.id, name=e.name, kind=e.kind) if e else None,
            nested_in=q.nested_in,
            confidence=q.confidence,
            review_state=review.state,
            anchor=review.anchor,
            version=review.version,
        )


class ArticleOut(BaseModel):
    id: str
    title: str | None
    date: str | None
    url: str | None
    source: str | None
    author: str | None
    text: str
    quotations: list[QuotationOut]

    @classmethod
    def of(cls, doc: Document, reviews: Mapping[str, QuotationReview]) -> ArticleOut:
        return cls(
            id=doc.id or "",
            title=doc.title,
            date=doc.date,
            url=doc.url,
            source=doc.source,
            author=doc.author,
            text=doc.text,
            quotations=[QuotationOut.of(q, reviews[q.id]) for q in doc.quotations],
        )


class ArticleSummaryOut(BaseModel):
    id: str
    title: str | None
    date: str | None
    source: str | None
    url: str | None
    quotation_count: int

    @classmethod
    def of(cls, a: ArticleSummary) -> ArticleSummaryOut:
        return cls(id=a.id, title=a.title, date=a.date, source=a.source, url=a.url, quotation_count=a.quotation_count)


def _quotation_row_model() -> type[BaseModel]:
    """The flat quotation row (store.QUOTATION_ROW) as a pydantic model: the same columns as search output
    and exports, with their docs in /openapi.json."""
    fields: dict[str, Any] = {
        column.name: (
            column.python_type | None if column.nullable else column.python_type,
            Field(description=column.doc),
        )
        for column in QUOTATION_ROW
    }
    return create_model("QuotationRow", **fields)


class HitOut(_quotation_row_model()):  # type: ignore[misc]  # fields from QUOTATION_ROW, built at import
    """A quotation in a result list: the flat quotation row."""

    @classmethod
    def of(cls, h: QuotationHit) -> HitOut:
        return cls(**h.to_row())


class EntityOut(BaseModel):
    id: str
    name: str
    kind: str
    aliases: list[str]
    descriptors: list[str]
    quotation_count: int

    @classmethod
    def of(cls, e: EntitySummary) -> EntityOut:
        return cls(
            id=e.id,
            name=e.name,
            kind=e.kind,
            aliases=sorted({*e.aliases, *e.manual_aliases}),
            descriptors=list(e.descriptors),
            quotation_count=e.quotation_count,
        )


class Count(BaseModel):
    key: str
    count: int


class SpeakerOut(EntityOut):
    """A speaker with the aggregates of the speaker page."""

    types: list[Count]
    media: list[Count]
    addressees: list[Count]
    timeline: list[Count]


class NodeOut(BaseModel):
    id: str
    label: str
    kind: str
    weight: int
    url: str | None


class LinkOut(BaseModel):
    source: str
    target: str
    kind: str
    weight: int


class NetworkOut(BaseModel):
    nodes: list[NodeOut]
    links: list[LinkOut]


T = TypeVar("T")


class PageOut(BaseModel, Generic[T]):
    total: int
    page: int
    per_page: int
    pages: int
    items: list[T]
