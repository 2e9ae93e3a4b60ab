"""Error analysis: what kind of mistakes the extractor makes on a gold file, counted by quotation type.

Quotations are paired as `evaluate` pairs them (maximal quote-token overlap). Each gold quotation without
a partner is *missed*, each predicted one without a partner *invented*; a pair whose speakers share no token
is a *wrong speaker* (split into: none named, one named where the gold has none, another one named), and a
pair whose speaker overlaps the gold one but has extra tokens is a *speaker too long* (the span ran into an
object or a place). The counts say which error class is worth fixing next; `--show` prints examples.

Run: python -m wortlaut.training.errors [gold.jsonl] [--limit N] [--show N] [--json]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .. import settings
from ..document import Document, Quotation, Span
from .evaluate import pair_quotations, predict_gold, token_sets

CLASSES = (
    "missed",
    "invented",
    "speaker_missing",
    "speaker_invented",
    "speaker_other",
    "speaker_too_long",
    "wrong_type",
)
DEFAULT_GOLD = settings.DATA_DIR / "dev.jsonl"


@dataclass
class ErrorCounts:
    """Counts per error class and quotation type, with a few examples of each class for reading."""

    counts: dict[str, Counter[str]] = field(default_factory=lambda: {c: Counter() for c in CLASSES})
    examples: dict[str, list[str]] = field(default_factory=lambda: {c: [] for c in CLASSES})

    def note(self, error: str, qtype: str, example: str) -> None:
        self.counts[error][qtype] += 1
        self.examples[error].append(example)

    def to_json(self) -> dict[str, Any]:
        return {c: {"total": sum(n.values()), **dict(n.most_common())} for c, n in self.counts.items()}


def shown(spans: Iterable[Span]) -> str:
    return " … ".join(s.text for s in spans) or "—"


def describe(doc: Document, gold: Quotation | None, pred: Quotation | None) -> str:
    """One line per example: the document, the quote and both speakers."""
    q = gold or pred
    assert q is not None
    quote = q.quote_text.replace("\n", " ")
    head = f"{doc.id} [{gold.type if gold else '-'} / {pred.type if pred else '-'}] {quote[:110]!r}"
    speakers = (
        f"gold speaker: {shown(gold.speaker) if gold else '—'} | predicted: {shown(pred.speaker) if pred else '—'}"
    )
    return f"{head}\n    {speakers}"


def speaker_error(tokens_of: Callable[[Iterable[Span]], set[int]], gold: Quotation, pred: Quotation) -> str | None:
    """The speaker error class of a paired quotation, or None when its speaker is right."""
    g, p = tokens_of(gold.speaker), tokens_of(pred.speaker)
    if not g and not p:
        return None
    if not p:
        return "speaker_missing"
    if not g:
        return "speaker_invented"
    if not g & p:
        return "speaker_other"
    return "speaker_too_long" if p - g else None


def classify(errors: ErrorCounts, gold_doc: Document, pred_doc: Document) -> None:
    """Add one document's errors."""
    tokens_of = token_sets(gold_doc)
    gold, pred = gold_doc.quotations, pred_doc.quotations
    pairs = pair_quotations(tokens_of, gold, pred)
    paired_gold, paired_pred = {i for i, _ in pairs}, {j for _, j in pairs}
    for i, q in enumerate(gold):
        if i not in paired_gold:
            errors.note("missed", q.type, describe(gold_doc, q, None))
    for j, q in enumerate(pred):
        if j not in paired_pred:
            errors.note("invented", q.type, describe(gold_doc, None, q))
    for i, j in pairs:
        error = speaker_error(tokens_of, gold[i], pred[j])
        if error:
            errors.note(error, gold[i].type, describe(gold_doc, gold[i], pred[j]))
        if gold[i].type != pred[j].type:
            errors.note("wrong_type", f"{gold[i].type}->{pred[j].type}", describe(gold_doc, gold[i], pred[j]))


def analyse(gold_path: str, limit: int | None = None, extractor: str | None = None) -> ErrorCounts:
    errors = ErrorCounts()
    for gold_doc, pred_doc in zip(*predict_gold(gold_path, extractor, limit)):
        classify(errors, gold_doc, pred_doc)
    return errors


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("gold", nargs="?", default=str(DEFAULT_GOLD))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--extractor", default=None)
    parser.add_argument("--show", type=int, default=0, help="examples to print per error class")
    parser.add_argument("--only", default=None, help="print examples of this error class only")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    errors = analyse(args.gold, args.limit, args.extractor)
    if args.json:
        print(json.dumps(errors.to_json(), indent=2))
        return
    for name, counts in errors.counts.items():
        by_type = ", ".join(f"{t} {n}" for t, n in counts.most_common())
        print(f"{name:18} {sum(counts.values()):4}  {by_type}")
    for name in CLASSES:
        if args.show and (args.only is None or args.only == name):
            print(f"\n== {name}")
            for example in errors.examples[name][: args.show]:
                print(example)


if __name__ == "__main__":
    main()
