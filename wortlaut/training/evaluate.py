"""Score predicted quotations against gold ones, token by token, as the dataset's authors do.

Scoring rules (every number in a Report follows them):

* Tokens are the gold document's tokens; a predicted span covers a token when their character ranges overlap.
* Pairing: per document, predicted and gold quotations are paired one-to-one so that the summed token overlap of
  their quote spans is maximal (Hungarian assignment); pairs without any quote overlap are dropped.
* Part scores (quote, speaker, cue, frame, addressee) are micro-averaged token counts: true positives are the
  tokens shared by a paired prediction and its gold quotation; every token of every predicted quotation counts
  towards precision and every token of every gold quotation towards recall, so unpaired quotations are false
  positives / false negatives. "roles" pools speaker, cue, frame and addressee; "joint" pools all five parts.
* Type and medium accuracy: share of paired quotations whose type / medium equals the gold one.
* Attribution: a paired prediction is correctly attributed when its speaker overlaps the gold speaker by at
  least one token. Precision = correct / predicted quotations that name a speaker; recall = correct / gold
  quotations that have a speaker. A speaker given to a quotation the gold leaves speakerless is an error.
* Per-type quote scores are strict: a pair counts only when predicted and gold type are both that type.
* Quotation-level detection: precision = paired / predicted, recall = paired / gold quotations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from rich.table import Table
from scipy.optimize import linear_sum_assignment

from ..document import PARTS, QUOTATION_TYPES, Document, Quotation, Span

ROLES = ("speaker", "cue", "frame", "addressee")


@dataclass
class Counts:
    """True positives and the predicted / gold totals behind one precision-recall-F1 triple."""

    tp: int = 0
    pred: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.pred += other.pred
        self.gold += other.gold

    def to_json(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "pred": self.pred,
            "gold": self.gold,
        }


@dataclass
class Report:
    """All figures of one evaluation run; `to_json` for machines, `table` for people."""

    documents: int = 0
    parts: dict[str, Counts] = field(default_factory=lambda: {p: Counts() for p in (*PARTS, "roles", "joint")})
    quotations: Counts = field(default_factory=Counts)
    attribution: Counts = field(default_factory=Counts)
    per_type: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in QUOTATION_TYPES})
    paired: int = 0
    type_correct: int = 0
    medium_correct: int = 0

    @property
    def type_accuracy(self) -> float:
        return self.type_correct / self.paired if self.paired else 0.0

    @property
    def medium_accuracy(self) -> float:
        return self.medium_correct / self.paired if self.paired else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "parts": {name: c.to_json() for name, c in self.parts.items()},
            "quotations": self.quotations.to_json(),
            "attribution": self.attribution.to_json(),
            "type_accuracy": round(self.type_accuracy, 4),
            "medium_accuracy": round(self.medium_accuracy, 4),
            "paired": self.paired,
            "per_type_quote": {t: c.to_json() for t, c in self.per_type.items()},
        }

    def table(self, title: str = "evaluation") -> Table:
        table = Table(title=f"{title} — {self.documents} documents, {self.paired} paired quotations")
        for column in ("measure", "P", "R", "F1", "tp", "pred", "gold"):
            table.add_column(column, justify="left" if column == "measure" else "right")
        rows = [(f"tokens: {n}", c) for n, c in self.parts.items()]
        rows += [("quotations (detected)", self.quotations), ("attribution", self.attribution)]
        rows += [(f"quote, type {t}", c) for t, c in self.per_type.items()]
        for name, c in rows:
            table.add_row(
                name, f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", str(c.tp), str(c.pred), str(c.gold)
            )
        table.add_row(
            "type accuracy", "", "", f"{self.type_accuracy:.3f}", str(self.type_correct), "", str(self.paired)
        )
        table.add_row(
            "medium accuracy", "", "", f"{self.medium_accuracy:.3f}", str(self.medium_correct), "", str(self.paired)
        )
        return table


def token_sets(doc: Document) -> Callable[[Iterable[Span]], set[int]]:
    """Spans → the set of the gold document's tokens they overlap (sets, because scoring intersects them)."""

    def tokens_of(spans: Iterable[Span]) -> set[int]:
        return set(doc.token_ids(spans))

    return tokens_of


def pair_quotations(
    tokens_of: Callable[[Iterable[Span]], set[int]], gold: list[Quotation], pred: list[Quotation]
) -> list[tuple[int, int]]:
    """(gold i, pred j) pairs maximising summed quote-token overlap; zero-overlap pairs are dropped."""
    if not gold or not pred:
        return []
    gold_tokens = [tokens_of(q.quote) for q in gold]
    pred_tokens = [tokens_of(q.quote) for q in pred]
    overlap = np.array([[len(g & p) for p in pred_tokens] for g in gold_tokens])
    rows, cols = linear_sum_assignment(overlap, maximize=True)
    return [(int(i), int(j)) for i, j in zip(rows, cols) if overlap[i, j] > 0]


def score_document(report: Report, gold_doc: Document, pred_doc: Document) -> None:
    """Add one document's counts to the report."""
    tokens_of = token_sets(gold_doc)
    gold, pred = gold_doc.quotations, pred_doc.quotations
    pairs = pair_quotations(tokens_of, gold, pred)
    report.documents += 1
    report.quotations.add(Counts(len(pairs), len(pred), len(gold)))
    report.paired += len(pairs)
    for part in PARTS:
        counts = Counts(
            tp=sum(len(tokens_of(gold[i].part(part)) & tokens_of(pred[j].part(part))) for i, j in pairs),
            pred=sum(len(tokens_of(q.part(part))) for q in pred),
            gold=sum(len(tokens_of(q.part(part))) for q in gold),
        )
        report.parts[part].add(counts)
        report.parts["joint"].add(counts)
        if part in ROLES:
            report.parts["roles"].add(counts)
    attributed = sum(1 for i, j in pairs if tokens_of(gold[i].speaker) & tokens_of(pred[j].speaker))
    report.attribution.add(Counts(attributed, sum(1 for q in pred if q.speaker), sum(1 for q in gold if q.speaker)))
    report.type_correct += sum(1 for i, j in pairs if gold[i].type == pred[j].type)
    report.medium_correct += sum(1 for i, j in pairs if gold[i].medium == pred[j].medium)
    for qtype, counts in report.per_type.items():
        counts.add(
            Counts(
                tp=sum(
                    len(tokens_of(gold[i].quote) & tokens_of(pred[j].quote))
                    for i, j in pairs
                    if gold[i].type == pred[j].type == qtype
                ),
                pred=sum(len(tokens_of(q.quote)) for q in pred if q.type == qtype),
                gold=sum(len(tokens_of(q.quote)) for q in gold if q.type == qtype),
            )
        )


def evaluate(gold: list[Document], predicted: list[Document]) -> Report:
    """Score predictions against gold documents given in the same order (texts must match)."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold documents but {len(predicted)} predicted ones")
    report = Report()
    for gold_doc, pred_doc in zip(gold, predicted):
        if gold_doc.text != pred_doc.text:
            raise ValueError(f"document {gold_doc.id}: predicted text differs from the gold text")
        score_document(report, gold_doc, pred_doc)
    return report


def evaluate_extractor(gold_path: str | Path, extractor: str | None = None, limit: int | None = None) -> Report:
    """Run the analysis pipeline on the gold texts (gold quotations hidden) and score it."""
    from ..api import analyze_many
    from .gold import read_gold

    gold = list(read_gold(gold_path, limit=limit))
    fresh = (Document(text=g.text, id=g.id, title=g.title, date=g.date) for g in gold)
    return evaluate(gold, list(analyze_many(fresh, extractor=extractor)))
