"""What `wortlaut ingest` and `wortlaut batch` do to one article around the pipeline: check that it is
German before spending analysis on it, and analyse a very long one in paragraph-aligned pieces so memory
stays flat. Kept apart from the store so the Spark workers can import it without pulling the store in.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator

from .document import PARTS, Document, Entity, Quotation, Span
from .nlp import paragraphs
from .pipeline import Pipeline

PIECE_CHARS = 100_000  # longer articles are analysed in paragraph-aligned pieces of about this size
LANGUAGE_SAMPLE = 3000  # characters the language detector looks at
DETECTED_LANGUAGES = ("GERMAN", "ENGLISH", "FRENCH", "SPANISH", "ITALIAN", "DUTCH", "POLISH", "TURKISH")


@lru_cache(maxsize=1)
def language_detector():
    """Built once: a handful of likely languages in low-accuracy mode is fast and plenty to tell German apart."""
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in DETECTED_LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def language_of(text: str) -> str | None:
    """ISO 639-1 code ('de', 'en', ...) of the text's opening, or None when it cannot tell."""
    found = language_detector().detect_language_of(text[:LANGUAGE_SAMPLE])
    return found.iso_code_639_1.name.lower() if found else None


def not_german(text: str) -> str | None:
    """Why an article is skipped ('language en', 'language unknown'), or None when it is German."""
    language = language_of(text)
    return None if language == "de" else f"language {language or 'unknown'}"


def pieces(text: str, size: int = PIECE_CHARS) -> Iterator[tuple[int, int]]:
    """(start, end) ranges of whole paragraphs, each about `size` characters (a longer paragraph stands alone)."""
    start = end = None
    for offset, para in paragraphs(text):
        if start is not None and offset + len(para) - start > size:
            yield start, end  # type: ignore[misc]
            start = None
        if start is None:
            start = offset
        end = offset + len(para)
    if start is not None:
        yield start, end  # type: ignore[misc]


def shifted(q: Quotation, offset: int, prefix: str) -> Quotation:
    """A piece's quotation moved to whole-article offsets, its ids made unique across pieces."""
    moved = {p: [Span(s.start + offset, s.end + offset, s.text) for s in q.part(p)] for p in PARTS}
    return Quotation(
        id=prefix + q.id, type=q.type, medium=q.medium, speaker_entity=q.speaker_entity,
        nested_in=prefix + q.nested_in if q.nested_in else None, confidence=q.confidence, **moved,
    )


def analyse(doc: Document, pipeline: Pipeline, piece_chars: int = PIECE_CHARS) -> Document:
    """Run the pipeline; an article longer than `piece_chars` runs piece by piece so memory stays bounded and
    nothing grows quadratically with its length. Tokens are dropped afterwards: the store and the batch
    tables keep only quotations (and a worker process sends less back)."""
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
