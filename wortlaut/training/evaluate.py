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
#: confidence bins of the reliability table and ECE; thresholds of the precision/recall table.
BINS = 10
THRESHOLDS = tuple(round(0.05 * k, 2) for k in range(20))
#: the attribution precision a confidence threshold is named for.
TARGET_PRECISION = 0.90


@dataclass
class Bin:
    """Predicted quotations whose confidence falls in one bin, and how many of them are right."""

    low: float
    high: float
    count: int = 0
    confidence_sum: float = 0.0
    right: int = 0

    @property
    def mean_confidence(self) -> float:
        return self.confidence_sum / self.count if self.count else 0.0

    @property
    def accuracy(self) -> float:
        return self.right / self.count if self.count else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "low": self.low,
            "high": self.high,
            "count": self.count,
            "mean_confidence": round(self.mean_confidence, 4),
            "accuracy": round(self.accuracy, 4),
        }


def reliability(confidences: list[float], right: list[bool], bins: int = BINS) -> list[Bin]:
    """Equal-width confidence bins over [0, 1]; a confidence of exactly 1 goes into the last bin."""
    table = [Bin(round(k / bins, 4), round((k + 1) / bins, 4)) for k in range(bins)]
    for confidence, ok in zip(confidences, right):
        b = table[min(int(confidence * bins), bins - 1)]
        b.count += 1
        b.confidence_sum += confidence
        b.right += ok
    return table


def expected_calibration_error(table: list[Bin]) -> float:
    """Count-weighted mean gap between confidence and accuracy over the bins."""
    total = sum(b.count for b in table)
    return sum(b.count * abs(b.mean_confidence - b.accuracy) for b in table) / total if total else 0.0


def attribution_by_threshold(
    confidence: list[tuple[float, bool, bool]], gold_with_speaker: int, thresholds: Iterable[float] = THRESHOLDS
) -> list[tuple[float, Counts]]:
    """Attribution counts when only predictions with confidence ≥ threshold are kept.

    `confidence` holds (confidence, right, names a speaker) per predicted quotation; as in the attribution
    measure, only predictions naming a speaker count towards precision.
    """
    return [
        (
            t,
            Counts(
                tp=sum(1 for c, ok, named in confidence if c >= t and ok and named),
                pred=sum(1 for c, _, named in confidence if c >= t and named),
                gold=gold_with_speaker,
            ),
        )
        for t in thresholds
    ]


def threshold_for_precision(
    curve: list[tuple[float, Counts]], target: float = TARGET_PRECISION
) -> tuple[float, Counts] | None:
    """The lowest threshold whose attribution precision reaches the target, or None."""
    return next(((t, c) for t, c in curve if c.pred and c.precision >= target), None)


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
    #: (confidence, right, names a speaker) per predicted quotation; see quotation_right.
    confidence: list[tuple[float, bool, bool]] = field(default_factory=list)

    @property
    def reliability(self) -> list[Bin]:
        return reliability([c for c, _, _ in self.confidence], [ok for _, ok, _ in self.confidence])

    @property
    def ece(self) -> float:
        return expected_calibration_error(self.reliability)

    @property
    def attribution_curve(self) -> list[tuple[float, Counts]]:
        return attribution_by_threshold(self.confidence, self.attribution.gold)

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
            "confidence": self.confidence_json(),
        }

    def confidence_json(self) -> dict[str, Any]:
        found = threshold_for_precision(self.attribution_curve)
        return {
            "ece": round(self.ece, 4),
            "reliability": [b.to_json() for b in self.reliability],
            "attribution_by_threshold": [{"threshold": t, **c.to_json()} for t, c in self.attribution_curve],
            f"threshold_precision_{TARGET_PRECISION:.2f}": (
                {"threshold": found[0], **found[1].to_json()} if found else None
            ),
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

    def confidence_tables(self) -> list[Table]:
        """The reliability table (with the ECE) and attribution precision/recall by confidence threshold."""
        bins = Table(title=f"confidence reliability — ECE {self.ece:.3f} (right: paired, speaker right)")
        for column in ("confidence", "count", "mean confidence", "accuracy"):
            bins.add_column(column, justify="right")
        for b in self.reliability:
            bins.add_row(f"{b.low:.1f}–{b.high:.1f}", str(b.count), f"{b.mean_confidence:.3f}", f"{b.accuracy:.3f}")
        found = threshold_for_precision(self.attribution_curve)
        named = f"{found[0]:.2f} (recall {found[1].recall:.3f})" if found else "none"
        curve = Table(title=f"attribution by confidence threshold — precision ≥ {TARGET_PRECISION:.2f} from {named}")
        for column in ("threshold", "P", "R", "F1", "tp", "pred"):
            curve.add_column(column, justify="right")
        for t, c in self.attribution_curve:
            curve.add_row(f"{t:.2f}", f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", str(c.tp), str(c.pred))
        return [bins, curve]


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


def quotation_right(
    tokens_of: Callable[[Iterable[Span]], set[int]],
    gold: list[Quotation],
    pred: list[Quotation],
    pairs: list[tuple[int, int]] | None = None,
) -> list[bool]:
    """Per predicted quotation: is it paired with a gold quotation whose speaker it names (or, both naming
    none, leaves out)? The event its confidence estimates; for predictions naming a speaker it is exactly the
    attribution measure's "correctly attributed"."""
    pairs = pair_quotations(tokens_of, gold, pred) if pairs is None else pairs
    right = [False] * len(pred)
    for i, j in pairs:
        gold_speaker, pred_speaker = tokens_of(gold[i].speaker), tokens_of(pred[j].speaker)
        right[j] = bool(gold_speaker & pred_speaker) or not (gold_speaker or pred_speaker)
    return right


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
    right = quotation_right(tokens_of, gold, pred, pairs)
    report.confidence += [(q.confidence, ok, bool(q.speaker)) for q, ok in zip(pred, right)]
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


def predict_gold(
    gold_path: str | Path, extractor: str | None = None, limit: int | None = None
) -> tuple[list[Document], list[Document]]:
    """The gold documents and the pipeline's analysis of their texts (gold quotations hidden), in order."""
    from ..api import analyze_many
    from .gold import read_gold

    gold = list(read_gold(gold_path, limit=limit))
    fresh = (Document(text=g.text, id=g.id, title=g.title, date=g.date) for g in gold)
    return gold, list(analyze_many(fresh, extractor=extractor))


def evaluate_extractor(gold_path: str | Path, extractor: str | None = None, limit: int | None = None) -> Report:
    """Run the analysis pipeline on the gold texts and score it."""
    return evaluate(*predict_gold(gold_path, extractor, limit))
