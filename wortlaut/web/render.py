"""View models for the pages: article text cut into highlightable segments, and server-side SVG charts.

Nothing here produces HTML: templates autoescape every string, so article text can never run as markup.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from ..api import Term, word_spans
from ..document import PARTS, Document, Quotation


@dataclass(frozen=True)
class Segment:
    """A run of article text covered by the same set of quotation parts."""

    text: str
    parts: tuple[str, ...]
    quotations: tuple[str, ...]
    primary: str | None
    quote_depth: int = 0

    @property
    def css_classes(self) -> str:
        """One class per part, plus `nested` where a quote lies inside another quote."""
        return " ".join([*(f"p-{part}" for part in self.parts), *(["nested"] if self.quote_depth > 1 else [])])


def _quote_extent(q: Quotation) -> int:
    """Length used to pick the innermost quotation under a click (nested quotes are shorter)."""
    return sum(s.end - s.start for s in q.quote) or sum(s.end - s.start for s in q.speaker) or 1


def segments(doc: Document) -> list[Segment]:
    """Split the text at every span boundary; each piece knows which parts and quotations cover it."""
    size = len(doc.text)
    covers: list[tuple[int, int, str, Quotation]] = []
    for q in doc.quotations:
        for part in PARTS:
            for span in q.part(part):
                start, end = max(0, span.start), min(size, span.end)
                if start < end:
                    covers.append((start, end, part, q))
    cuts = sorted({0, size, *(c[0] for c in covers), *(c[1] for c in covers)})
    result = []
    for start, end in pairwise(cuts):
        here = [(part, q) for (s, e, part, q) in covers if s <= start and end <= e]
        parts = tuple(p for p in PARTS if any(part == p for part, _ in here))
        quotes = sorted({q.id: q for _, q in here}.values(), key=_quote_extent)
        result.append(
            Segment(
                text=doc.text[start:end],
                parts=parts,
                quotations=tuple(q.id for q in quotes),
                primary=quotes[0].id if quotes else None,
                quote_depth=len({q.id for part, q in here if part == "quote"}),
            )
        )
    return result


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class BarChart:
    """Geometry for an inline SVG bar chart; the template only draws what is computed here."""

    bars: list[Bar]
    width: int
    height: int
    baseline: float
    maximum: int


def bar_chart(counts: Sequence[tuple[str, int]], width: int = 1100, height: int = 180) -> BarChart:
    """Bars scaled to the largest count, leaving room for labels under the baseline."""
    top, bottom = 16.0, 28.0
    baseline = height - bottom
    maximum = max((c for _, c in counts), default=0)
    slot = width / max(len(counts), 1)
    bar_width = min(slot * 0.8, 48.0)
    bars = []
    for n, (label, count) in enumerate(counts):
        h = (baseline - top) * count / maximum if maximum else 0.0
        bars.append(Bar(label, count, n * slot + (slot - bar_width) / 2, baseline - h, bar_width, h))
    return BarChart(bars, width, height, baseline, maximum)


def timeline_buckets(dated: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """(date, count) pairs summed per month when they span under three years, else per year; gaps get 0."""
    known = sorted((d, n) for d, n in dated if len(d) >= 7 and d[:4].isdigit() and d[5:7].isdigit())
    if not known:
        return []
    first, last = known[0][0], known[-1][0]
    by_month = int(last[:4]) - int(first[:4]) < 3
    counts: Counter[str] = Counter()
    for d, n in known:
        counts[d[:7] if by_month else d[:4]] += n
    if by_month:
        keys, (y, m) = [], (int(first[:4]), int(first[5:7]))
        while (y, m) <= (int(last[:4]), int(last[5:7])):
            keys.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        keys = [f"{y:04d}" for y in range(int(first[:4]), int(last[:4]) + 1)]
    return [(k, counts.get(k, 0)) for k in keys]


def tick_labels(bars: list[Bar], most: int = 12) -> set[str]:
    """Which bar labels to print so that long timelines stay legible."""
    step = max(1, -(-len(bars) // most))
    return {b.label for n, b in enumerate(bars) if n % step == 0 or n == len(bars) - 1}


def marked(text: str, terms: Sequence[Term]) -> list[tuple[str, bool]]:
    """The text as (piece, is_match) runs, so a result list can mark the searched words without markup in Python.

    Matching follows the full-text search: folded whole words (Praesident marks Präsident), a phrase marks its
    words when they stand together, and `word*` marks the words it starts.
    """
    if not terms:  # a speaker's page, a search by filters only: nothing to mark, no words to find
        return [(text, False)] if text else []
    spans = list(word_spans(text))
    found = [
        (spans[i][0], spans[i + len(t.words) - 1][1]) for i in range(len(spans)) for t in terms if _at(spans, i, t)
    ]
    pieces: list[tuple[str, bool]] = []
    position = 0
    for start, end in sorted(found):
        if end <= position:
            continue
        start = max(start, position)
        if start > position:
            pieces.append((text[position:start], False))
        pieces.append((text[start:end], True))
        position = end
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces


def _at(spans: Sequence[tuple[int, int, str]], first: int, term: Term) -> bool:
    """Whether the term's words stand at spans[first:] (the last one as a prefix for `word*`)."""
    window = [word for _, _, word in spans[first : first + len(term.words)]]
    if len(window) < len(term.words):
        return False
    *whole, last = term.words
    if window[:-1] != whole:
        return False
    return window[-1].startswith(last) if term.prefix else window[-1] == last
