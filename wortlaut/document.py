"""The plain dataclasses that cross every stage: ingest → analyse → resolve → store → serve."""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

QUOTATION_TYPES = ("Direct", "Indirect", "FreeIndirect", "IndirectFreeIndirect", "Reported")
MEDIA = ("Speech", "Thought", "Writing", "SW", "ST", "TW", "none")
PARTS = ("quote", "speaker", "cue", "frame", "addressee")
ENTITY_KINDS = ("person", "organisation", "medium", "state", "anonymous")


def content_id(text: str) -> str:
    """Stable id from the text, so the same article read twice is recognised as one."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def described(doc: Document) -> str:
    """An article as a message names it: the input it was read from, and its id."""
    return f"{doc.origin}: article {doc.id}" if doc.origin else f"article {doc.id}"


@dataclass(frozen=True)
class Span:
    """Character offsets into Document.text; `text` is kept so a span can be read on its own."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start, end, text[start:end])

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass
class Token:
    """A SoMaJo token with HanTa's analysis; `mood` is 'ind', 'konj1', 'konj2' or '' for non-finite words."""

    i: int
    start: int
    end: int
    text: str
    sent: int
    pos: str = ""
    lemma: str = ""
    mood: str = ""
    space_after: bool = True


@dataclass
class Entity:
    """A real-world speaker; one entity gathers all the mentions that name or point to it."""

    id: str
    name: str
    kind: str = "person"
    descriptors: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind}


@dataclass
class Quotation:
    """One quotation with its parts as (possibly discontinuous) span lists."""

    id: str
    type: str
    medium: str = "Speech"
    quote: list[Span] = field(default_factory=list)
    speaker: list[Span] = field(default_factory=list)
    cue: list[Span] = field(default_factory=list)
    frame: list[Span] = field(default_factory=list)
    addressee: list[Span] = field(default_factory=list)
    speaker_entity: Entity | None = None
    nested_in: str | None = None
    confidence: float = 1.0

    def part(self, name: str) -> list[Span]:
        """One of PARTS by name, for code that treats every part alike."""
        spans: list[Span] = getattr(self, name)
        return spans

    @property
    def start(self) -> int:
        return min(s.start for s in self.quote) if self.quote else 0

    @property
    def end(self) -> int:
        return max(s.end for s in self.quote) if self.quote else 0

    @property
    def quote_text(self) -> str:
        return " … ".join(s.text for s in self.quote)

    @property
    def speaker_text(self) -> str:
        return " ".join(s.text for s in self.speaker)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "type": self.type, "medium": self.medium}
        for name in PARTS:
            out[name] = [s.to_json() for s in self.part(name)]
        out["speaker_entity"] = self.speaker_entity.to_json() if self.speaker_entity else None
        out["nested_in"] = self.nested_in
        out["confidence"] = round(self.confidence, 4)
        return out


@dataclass
class Document:
    """An article: its text, metadata, and what the pipeline found in it."""

    text: str
    id: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None
    author: str | None = None
    tokens: list[Token] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    quotations: list[Quotation] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    #: Where the article was read from (`file`, `file:line`, `file: entry 3`), so a message about it can name
    #: the input; not stored.
    origin: str | None = field(default=None, compare=False)
    _token_bounds: tuple[list[Token], list[int], list[int]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _sentence_groups: tuple[list[Token], int, list[list[Token]]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def span(self, start: int, end: int) -> Span:
        return Span.of(self.text, start, end)

    def token_span(self, first: int, last: int) -> Span:
        """Span covering tokens first..last inclusive."""
        return self.span(self.tokens[first].start, self.tokens[last].end)

    def token_bounds(self) -> tuple[list[int], list[int]]:
        """The start and end offsets of the tokens, for bisecting.

        Every stage maps offsets to tokens many times per document, so the offsets are indexed once (and again
        only when the token list is replaced). The lists are shared: read them only.
        """
        bounds = self._token_bounds
        if bounds is None or bounds[0] is not self.tokens or len(bounds[1]) != len(self.tokens):
            bounds = self._token_bounds = (self.tokens, [t.start for t in self.tokens], [t.end for t in self.tokens])
        return bounds[1], bounds[2]

    def token_ids(self, spans: Iterable[Span]) -> list[int]:
        """Sorted ids of the tokens that overlap any of the spans."""
        starts, ends = self.token_bounds()
        ids: set[int] = set()
        for span in spans:
            ids.update(range(bisect_right(ends, span.start), bisect_left(starts, span.end)))
        return sorted(ids)

    def sentence_tokens(self) -> list[list[Token]]:
        """The tokens of each sentence, indexed by Token.sent (an id no token carries gives an empty list).

        Extraction and resolution walk the document sentence by sentence many times, so the tokens are
        grouped once (and again only when the token list is replaced). The lists are shared: read them only.
        """
        groups = self._sentence_groups
        if groups is None or groups[0] is not self.tokens or groups[1] != len(self.tokens):
            groups = self._sentence_groups = (self.tokens, len(self.tokens), _grouped_by_sentence(self.tokens))
        return groups[2]

    def sentence_of(self, token: Token) -> list[Token]:
        """The tokens of the sentence holding `token` (shared, like sentence_tokens())."""
        return self.sentence_tokens()[token.sent]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date,
            "url": self.url,
            "text": self.text,
            "quotations": [q.to_json() for q in self.quotations],
        }


def _grouped_by_sentence(tokens: list[Token]) -> list[list[Token]]:
    groups: list[list[Token]] = [[] for _ in range(max((t.sent for t in tokens), default=-1) + 1)]
    for token in tokens:
        groups[token.sent].append(token)
    return groups
