"""The values the store hands out and takes in: search filters, hits, summaries, outcomes, and the one flat
quotation row that search output, exports, the web API and the Spark tables share."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..document import Span


@dataclass(frozen=True)
class Column:
    """One column of the flat quotation row. `type` is Arrow's name (string, float64, int64); `field` is the
    QuotationHit attribute when it differs from the column name."""

    name: str
    type: str
    doc: str
    nullable: bool = True
    field: str | None = None

    @property
    def python_type(self) -> builtins.type:
        return {"string": str, "float64": float, "int64": int}[self.type]

    @property
    def spark_type(self) -> str:
        return {"string": "string", "float64": "double", "int64": "bigint"}[self.type]


QUOTATION_ROW: tuple[Column, ...] = (
    Column("article_id", "string", "The article's id in the store.", nullable=False),
    Column("quotation_id", "string", "The quotation's id within its article (q1, q2, ...).", False, "qid"),
    Column("date", "string", "The article's date as given (ISO 8601), if known."),
    Column("title", "string", "The article's title."),
    Column("source", "string", "The article's source (publisher or feed)."),
    Column("url", "string", "The article's URL."),
    Column("type", "string", "Direct, Indirect, FreeIndirect, IndirectFreeIndirect or Reported.", nullable=False),
    Column("medium", "string", "Speech, Thought, Writing, SW, ST, TW or none."),
    Column("confidence", "float64", "The extractor's confidence, 0 to 1."),
    Column("nested_in", "string", "The quotation_id of the quotation this one is quoted in."),
    Column("speaker", "string", "The speaker as the article names them ('' when not named).", nullable=False),
    Column("entity_id", "string", "The speaker's entity in the catalogue (see `wortlaut speakers`)."),
    Column("entity_name", "string", "The name of that entity."),
    Column("quote", "string", "The quoted words.", nullable=False),
    Column("start", "int64", "Character offset of the quotation's start in the article text.", nullable=False),
    Column("end", "int64", "Character offset of the quotation's end in the article text.", nullable=False),
    Column("cue", "string", "The cue words (sagte, betonte, ...), pieces joined by ' … '.", nullable=False),
    Column("frame", "string", "The framing words, pieces joined by ' … '.", nullable=False),
    Column("addressee", "string", "Whom the speaker addresses, pieces joined by ' … '.", nullable=False),
    Column(
        "review_state", "string", "unreviewed, confirmed or corrected by a reviewer (see `wortlaut review`).", False
    ),
    Column("anchor", "string", "Where the quote was when first found (START-END): how corrections name it.", False),
)
QUOTATION_COLUMNS = {column.name: column for column in QUOTATION_ROW}


def spark_ddl(names: Iterable[str]) -> str:
    """Spark SQL DDL ('name type, ...') for these quotation row columns."""
    return ", ".join(f"{name} {QUOTATION_COLUMNS[name].spark_type}" for name in names)


@dataclass
class SearchFilters:
    """What `wortlaut search`, `wortlaut export` and the web app filter quotations by; None means any.

    query: words or "quoted phrases" in the quote or speaker mention (a trailing * matches a prefix).
    speaker: a name, matched against the speaker mention and the resolved entity's name and aliases.
    entity: an entity id exactly. type / medium: a quotation type or medium exactly.
    date_from / date_to: inclusive ISO dates (YYYY-MM-DD) of the article. source: the article's source exactly.
    article: an article id exactly.
    reviewed: True for quotations a reviewer confirmed or corrected, False for the others.
    min_confidence: quotations whose confidence is at least this (0 to 1).
    """

    query: str | None = None
    speaker: str | None = None
    entity: str | None = None
    type: str | None = None
    medium: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    source: str | None = None
    article: str | None = None
    reviewed: bool | None = None
    min_confidence: float | None = None


@dataclass
class QuotationHit:
    """One stored quotation with what a result list shows of its article and speaker.

    `parts` (quote, speaker, cue, frame, addressee spans) is filled by `search()`, `article()` and
    `iter_quotations(with_parts=True)`.
    """

    pk: int
    article_id: str
    qid: str
    type: str
    medium: str | None
    confidence: float | None
    nested_in: str | None
    quote: str
    speaker: str
    entity_id: str | None
    entity_name: str | None
    start: int
    end: int
    date: str | None
    title: str | None
    source: str | None
    url: str | None
    review_state: str = "unreviewed"
    anchor: str = ""
    parts: dict[str, list[Span]] = field(default_factory=dict)

    def part_text(self, part: str) -> str:
        """A part's spans as one text, joined by ' … ' ('' when the quotation has none)."""
        return " … ".join(s.text for s in self.parts.get(part, []))

    @property
    def cue(self) -> str:
        return self.part_text("cue")

    @property
    def frame(self) -> str:
        return self.part_text("frame")

    @property
    def addressee(self) -> str:
        return self.part_text("addressee")

    def to_row(self) -> dict[str, Any]:
        """The flat quotation row (QUOTATION_ROW): what search output, exports and the web API show of a hit."""
        return {column.name: getattr(self, column.field or column.name) for column in QUOTATION_ROW}


@dataclass
class ArticleSummary:
    """An article as a list shows it (no text)."""

    id: str
    title: str | None
    date: str | None
    source: str | None
    url: str | None
    author: str | None
    lang: str | None
    model: str | None
    analysed_at: str | None
    quotation_count: int


@dataclass
class EntitySummary:
    """A catalogue speaker with everything the speakers page shows."""

    id: str
    name: str
    kind: str
    descriptors: list[str]
    aliases: list[str]
    manual_aliases: list[str]
    quotation_count: int


@dataclass
class StoreStats:
    """Counts for `wortlaut stats` and the web app's front page."""

    articles: int
    quotations: int
    entities: int
    sources: list[tuple[str, int]]
    types: list[tuple[str, int]]
    schema_version: int


@dataclass
class EntityProfile:
    """What a speaker page charts: counts by type, medium, addressee words and article date."""

    types: list[tuple[str, int]]
    media: list[tuple[str, int]]
    addressees: list[tuple[str, int]]
    dates: list[tuple[str, int]]


@dataclass(frozen=True)
class GraphNode:
    """A network node: kind 'entity' (id = entity id), 'source' (id = source name) or 'addressee' (id = words)."""

    kind: str
    id: str
    label: str


@dataclass
class NetworkEdge:
    """kind 'quotes' (speaker of the outer quotation → nested speaker), 'addresses' or 'reports' (source → speaker)."""

    kind: str
    source: GraphNode
    target: GraphNode
    weight: int


@dataclass
class Outcome:
    """What happened to one Document in `add_batch`: 'stored', 'duplicate' or 'failed', and why."""

    doc_id: str | None
    status: str
    message: str = ""
    stored_as: str | None = None  # the article id in the store (for 'stored' and 'duplicate')


@dataclass
class AddSummary:
    """What `add_documents` did over all its batches."""

    stored: int = 0
    duplicate: int = 0
    failed: list[Outcome] = field(default_factory=list)

    def count(self, outcomes: Iterable[Outcome]) -> None:
        for outcome in outcomes:
            if outcome.status == "stored":
                self.stored += 1
            elif outcome.status == "duplicate":
                self.duplicate += 1
            else:
                self.failed.append(outcome)
