"""Calibrated confidence: the probability that a quotation users get and its speaker are both right.

The candidate scorer's probability says whether a quotation is real, not whether its speaker is; the role
tagger's speaker marginal says how sure the speaker tag is; the speaker the post-processing (cleanup.py)
leaves says much about whether it is right (a name or a pronoun, how far from the quote, changed by the
post-processing or not). A logistic regression (Platt scaling) over all of them and over the candidate's
scorer features maps them to one probability. It is fitted on out-of-fold training candidates taken
through the whole run-time pipeline (wortlaut/training/train.py), never on dev, and stored as plain numbers
in model.json.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..document import QUOTATION_TYPES, Document, Quotation, Span
from .syntax import PRONOUN_POS

#: probabilities are clipped here before taking their log-odds.
EPSILON = 1e-4
#: token distances between speaker and quote are capped here (a speaker further away is simply far).
FAR = 30
#: speaker lengths in tokens are capped here (a longer phrase has usually run on past the speaker).
LONG = 10


def logit(p: float) -> float:
    p = min(max(p, EPSILON), 1 - EPSILON)
    return math.log(p / (1 - p))


def speaker_features(doc: Document, q: Quotation, tagged_speaker: list[Span]) -> list[float]:
    """What the final quotation tells of its speaker: a name, a pronoun or a description, how far from the
    quote, whether the post-processing replaced the tagged speaker, and the final type."""
    speaker = doc.token_ids(q.speaker)
    quote = doc.token_ids(q.quote)
    tokens = [doc.tokens[i] for i in speaker]
    named = any(t.pos == "NE" for t in tokens)
    quote_sents = {doc.tokens[i].sent for i in quote}
    distance = min((abs(i - j) for i in speaker for j in (quote[0], quote[-1])), default=FAR) if quote else FAR
    return [
        float(bool(speaker)),
        float(named),
        float(bool(tokens) and all(t.pos in PRONOUN_POS for t in tokens)),
        float(not named and any(t.pos == "NN" for t in tokens)),
        float(min(len(speaker), LONG)),
        float(min(distance, FAR)),
        float(not set(speaker).isdisjoint(quote)),
        float(any(t.sent in quote_sents for t in tokens)),
        float(q.speaker != tagged_speaker),
        float(bool(q.nested_in)),
        float(bool(q.cue)),
        *(float(q.type == t) for t in QUOTATION_TYPES),
    ]


def calibration_features(row: list[float], real: float, speaker: float, final: list[float]) -> list[float]:
    """The inputs of the calibration: the candidate's scorer features, scorer log-odds and speaker marginal,
    and the final quotation's speaker_features."""
    return [*row, logit(real), speaker, *final]


@dataclass
class Calibration:
    """Logistic regression weights over calibration_features; `None` weights keep the raw confidence."""

    weights: list[float] | None = None
    bias: float = 0.0

    def confidence(self, features: list[float], raw: float) -> float:
        if self.weights is None:
            return raw
        if len(self.weights) != len(features):
            raise ValueError(
                f"the calibration has {len(self.weights)} weights for {len(features)} features: refit it with "
                "`wortlaut train --calibration-only MODEL_DIR`"
            )
        z = self.bias + sum(w * x for w, x in zip(self.weights, features))
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    @classmethod
    def fit(cls, features: list[list[float]], right: list[bool], C: float = 1.0) -> Calibration:
        if len(set(right)) < 2:
            return cls()
        from sklearn.linear_model import LogisticRegression

        x = np.asarray(features, dtype=float)
        mean, scale = x.mean(axis=0), x.std(axis=0)
        scale[scale == 0] = 1.0
        model = LogisticRegression(C=C, max_iter=5000).fit((x - mean) / scale, right)
        # fold the standardisation into the weights, so applying them needs no scaler
        weights = model.coef_[0] / scale
        return cls([float(w) for w in weights], float(model.intercept_[0] - weights @ mean))

    def to_json(self) -> dict[str, Any]:
        return {"weights": self.weights, "bias": self.bias}

    @classmethod
    def from_json(cls, obj: dict[str, Any] | None) -> Calibration:
        return cls(obj["weights"], obj["bias"]) if obj else cls()
