"""Reviewers' corrections, applied on top of the machine's output.

The store keeps what the model found for an article and, beside it, an append-only log of corrections.
What users see (pages, search, export) is `apply_corrections(machine output, log)`: recomputed after
every correction and after every re-analysis, so a new model never loses a reviewer's work. A correction
names its quotation by an *anchor* — the character offsets of the quote the reviewer saw — which survives
re-analysis as long as the new analysis finds a quotation at (or largely over) the same place. One that no
longer finds its quotation is kept and reported as a conflict, never dropped.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from ..document import MEDIA, PARTS, QUOTATION_TYPES, Document, Entity, Quotation, Span

#: What a correction can do to a quotation ("add" creates one that the model missed).
ACTIONS = ("confirm", "reject", "set_speaker", "set_spans", "set_type", "set_medium", "set_nesting", "add", "undo")
#: A quotation's review state as users see it.
UNREVIEWED, CONFIRMED, CORRECTED, REJECTED = "unreviewed", "confirmed", "corrected", "rejected"
#: How much of an anchor's quote a new quotation must share to count as the same one after re-analysis.
MIN_OVERLAP = 0.5


class CorrectionError(ValueError):
    """A correction that cannot be made as asked (unknown action, spans outside the text, bad type)."""


@dataclass(frozen=True)
class Anchor:
    """Where a quotation's quote starts and ends in the article text: stable across re-analysis."""

    start: int
    end: int

    @classmethod
    def of(cls, quotation: Quotation) -> Anchor:
        return cls(quotation.start, quotation.end)

    @classmethod
    def parse(cls, text: str) -> Anchor:
        start, _, end = text.partition("-")
        return cls(int(start), int(end))

    def __str__(self) -> str:
        return f"{self.start}-{self.end}"

    @property
    def target(self) -> str:
        """How the log names the quotation at this anchor."""
        return f"q:{self}"

    def overlap(self, quotation: Quotation) -> float:
        """Shared characters as a share of the longer of the two quotes."""
        shared = min(self.end, quotation.end) - max(self.start, quotation.start)
        longest = max(self.end - self.start, quotation.end - quotation.start, 1)
        return max(shared, 0) / longest


@dataclass
class Correction:
    """One entry of the log: who changed what on which quotation, and the value before and after."""

    article_id: str
    anchor: Anchor
    action: str
    after: dict[str, Any] = field(default_factory=dict)
    before: dict[str, Any] = field(default_factory=dict)
    reviewer: str = ""
    at: str = ""
    id: int | None = None


@dataclass
class Reviewed:
    """An article's quotations as users see them, each with its review state, and the corrections whose
    quotation the current analysis no longer has."""

    doc: Document
    states: dict[str, str] = field(default_factory=dict)  # quotation id -> review state
    anchors: dict[str, Anchor] = field(default_factory=dict)  # quotation id -> anchor corrections use
    rejected: list[Quotation] = field(default_factory=list)
    conflicts: list[Correction] = field(default_factory=list)
    entity_ids: dict[str, str] = field(default_factory=dict)  # quotation id -> speaker entity a reviewer chose


def apply_corrections(machine: Document, corrections: list[Correction]) -> Reviewed:
    """The machine's quotations with every correction applied in log order (the input is not changed)."""
    doc = copy.deepcopy(machine)
    result = Reviewed(doc, {q.id: UNREVIEWED for q in doc.quotations}, {q.id: Anchor.of(q) for q in doc.quotations})
    for correction in in_effect(corrections):
        if correction.action == "add":
            target = added_quotation(doc, correction)
            doc.quotations.append(target)
            result.states[target.id] = CORRECTED
            result.anchors[target.id] = correction.anchor
        else:
            found = find_quotation(doc.quotations, result.anchors, correction.anchor)
            if found is None:
                result.conflicts.append(correction)
                continue
            target = found
            change(doc, target, correction)
            result.states[target.id] = state_after(result.states[target.id], correction.action)
        if correction.action in ("add", "set_speaker"):
            result.entity_ids.pop(target.id, None)
            if target.speaker_entity is not None and correction.after.get("entity"):
                result.entity_ids[target.id] = target.speaker_entity.id
    result.rejected = [q for q in doc.quotations if result.states[q.id] == REJECTED]
    doc.quotations = [q for q in doc.quotations if result.states[q.id] != REJECTED]
    doc.quotations.sort(key=lambda q: (q.start, q.end))
    return result


def in_effect(corrections: list[Correction]) -> list[Correction]:
    """The corrections not undone, in log order; an undo can itself be undone, which brings its correction back,
    so the log is read from its end: an entry counts unless a later entry that counts undid it."""
    undone: set[int] = set()
    for correction in reversed(corrections):
        if correction.action == "undo" and correction.id not in undone:
            undone.add(int(correction.after["correction"]))
    return [c for c in corrections if c.action != "undo" and c.id not in undone]


def find_quotation(quotations: list[Quotation], anchors: dict[str, Anchor], anchor: Anchor) -> Quotation | None:
    """The quotation a correction means: the one anchored there, else the one that overlaps it most."""
    for quotation in quotations:
        if anchors[quotation.id] == anchor:
            return quotation
    best = max(quotations, key=anchor.overlap, default=None)
    return best if best is not None and anchor.overlap(best) >= MIN_OVERLAP else None


def state_after(state: str, action: str) -> str:
    if action == "reject":
        return REJECTED
    if action == "confirm":
        return CONFIRMED if state in (UNREVIEWED, CONFIRMED) else state
    return CORRECTED


def change(doc: Document, quotation: Quotation, correction: Correction) -> None:
    """Carry out one correction on one quotation."""
    after = correction.after
    if correction.action == "set_speaker":
        quotation.speaker = spans_of(doc, after.get("speaker", []))
        entity = after.get("entity")
        quotation.speaker_entity = (
            Entity(entity["id"], entity["name"], entity.get("kind", "person")) if entity else None
        )
    elif correction.action == "set_spans":
        for part in PARTS:
            if part in after:
                setattr(quotation, part, spans_of(doc, after[part]))
    elif correction.action == "set_type":
        quotation.type = checked(after.get("type"), QUOTATION_TYPES, "type")
    elif correction.action == "set_medium":
        quotation.medium = checked(after.get("medium"), MEDIA, "medium")
    elif correction.action == "set_nesting":
        quotation.nested_in = nesting_target(doc, after.get("nested_in"))
    elif correction.action not in ("confirm", "reject"):
        raise CorrectionError(f"unknown correction {correction.action!r} (known: {', '.join(ACTIONS)})")


def added_quotation(doc: Document, correction: Correction) -> Quotation:
    """A quotation the model missed, from the spans and type the reviewer gave."""
    after = correction.after
    quotation = Quotation(
        id=f"r{correction.anchor}",
        type=checked(after.get("type", "Direct"), QUOTATION_TYPES, "type"),
        medium=checked(after.get("medium", "Speech"), MEDIA, "medium"),
        confidence=1.0,
    )
    for part in PARTS:
        setattr(quotation, part, spans_of(doc, after.get(part, [])))
    if not quotation.quote:
        raise CorrectionError("a new quotation needs its quote")
    entity = after.get("entity")
    if entity:
        quotation.speaker_entity = Entity(entity["id"], entity["name"], entity.get("kind", "person"))
    return quotation


def nesting_target(doc: Document, anchor: str | None) -> str | None:
    """The id of the quotation at `anchor` that this one is reported inside (None removes the link)."""
    if anchor is None:
        return None
    outer = find_quotation(doc.quotations, {q.id: Anchor.of(q) for q in doc.quotations}, Anchor.parse(anchor))
    if outer is None:
        raise CorrectionError(f"no quotation at {anchor} to nest in")
    return outer.id


def spans_of(doc: Document, offsets: list[list[int]]) -> list[Span]:
    """[[start, end], ...] as Spans of the article's text; offsets outside it are refused."""
    spans = []
    for start, end in offsets:
        if not 0 <= start < end <= len(doc.text):
            raise CorrectionError(f"span {start}-{end} is outside the article's text (0-{len(doc.text)})")
        spans.append(doc.span(start, end))
    return sorted(spans, key=lambda s: s.start)


def checked(value: Any, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise CorrectionError(f"{what} {value!r}: expected one of {', '.join(allowed)}")
    return str(value)
