"""The analysis pipeline: tokenize → extract → resolve, each a component over one Document.

`analyse_article` is what ingest and the Spark job run around it: a very long article is analysed in
paragraph-aligned pieces, so memory stays flat and nothing grows with its length.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from . import nlp, settings
from .document import PARTS, Document, Entity, Quotation, Span
from .registry import Component, extractors, resolvers

DEFAULT_EXTRACTOR = "model"
FALLBACK_EXTRACTOR = "rules"
DEFAULT_RESOLVER = "article"


def _load_components() -> None:
    """Import the modules that register components (kept lazy so `import wortlaut` stays cheap)."""
    from .extract import model, rules  # noqa: F401
    from .resolve import speakers  # noqa: F401


@dataclass
class Pipeline:
    """An ordered list of named components; calling it runs them all over a Document."""

    components: list[tuple[str, Component]] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.components]

    def __call__(self, doc: Document) -> Document:
        for _, component in self.components:
            doc = component(doc)
        return doc


@lru_cache(maxsize=8)
def load_pipeline(extractor: str | None = None, resolver: str | None = DEFAULT_RESOLVER) -> Pipeline:
    """Build (once per process) the pipeline; the learned model is the default when its artifact exists."""
    _load_components()
    name = extractor or DEFAULT_EXTRACTOR
    try:
        extract = extractors.get(name)()
    except FileNotFoundError:
        if extractor is not None:
            raise
        name, extract = FALLBACK_EXTRACTOR, extractors.get(FALLBACK_EXTRACTOR)()
    components: list[tuple[str, Component]] = [("tokenize", nlp.tokenize), (name, extract)]
    if resolver:
        components.append((resolver, resolvers.get(resolver)()))
    return Pipeline(components)


def pieces(text: str, size: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) ranges of whole paragraphs, each about `size` characters (a longer paragraph stands alone)."""
    size = size or settings.PIECE_CHARS
    start = end = -1
    for offset, para in nlp.paragraphs(text):
        if start >= 0 and offset + len(para) - start > size:
            yield start, end
            start = -1
        if start < 0:
            start = offset
        end = offset + len(para)
    if start >= 0:
        yield start, end


def shifted(q: Quotation, offset: int, prefix: str) -> Quotation:
    """A piece's quotation moved to whole-article offsets, its ids made unique across pieces."""
    moved = {p: [Span(s.start + offset, s.end + offset, s.text) for s in q.part(p)] for p in PARTS}
    return Quotation(
        id=prefix + q.id,
        type=q.type,
        medium=q.medium,
        speaker_entity=q.speaker_entity,
        nested_in=prefix + q.nested_in if q.nested_in else None,
        confidence=q.confidence,
        **moved,
    )


def analyse_article(doc: Document, pipeline: Pipeline, piece_chars: int | None = None) -> Document:
    """Run the pipeline; an article longer than `piece_chars` runs piece by piece so memory stays bounded and
    nothing grows quadratically with its length. Tokens are dropped afterwards: the store and the batch
    tables keep only quotations (and a worker process sends less back)."""
    piece_chars = piece_chars or settings.PIECE_CHARS
    if len(doc.text) <= piece_chars:
        result = pipeline(doc)
    else:
        quotations: list[Quotation] = []
        entities: dict[str, Entity] = {}
        for n, (start, end) in enumerate(pieces(doc.text, piece_chars)):
            part = pipeline(Document(text=doc.text[start:end], id=f"{doc.id}-{n}", title=doc.title, date=doc.date))
            quotations += [shifted(q, start, f"p{n}-") for q in part.quotations]
            for entity in part.entities:
                entities.setdefault(entity.id, entity)
        doc.quotations, doc.entities = quotations, list(entities.values())
        result = doc
    result.tokens, result.sentences = [], []
    return result
