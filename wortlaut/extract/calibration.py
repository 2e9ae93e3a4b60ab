"""Calibrated confidence: the probability that a kept quotation and its speaker are both right.

The candidate scorer's probability says whether a quotation is real, not whether its speaker is; the role
tagger's speaker marginal says how sure the speaker tag is. A logistic regression (Platt scaling) over
both and over the candidate's scorer features (speaker found, a name, the rules agreeing on it, type, ...)
maps them to one probability. It is fitted on out-of-fold training candidates (wortlaut/train.py), never on
dev, and stored as plain numbers in model.json.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

#: probabilities are clipped here before taking their log-odds.
EPSILON = 1e-4


def logit(p: float) -> float:
    p = min(max(p, EPSILON), 1 - EPSILON)
    return math.log(p / (1 - p))


def calibration_features(row: list[float], real: float, speaker: float) -> list[float]:
    """The inputs of the calibration: the candidate's scorer features, scorer log-odds and speaker marginal."""
    return [*row, logit(real), speaker]


@dataclass
class Calibration:
    """Logistic regression weights over calibration_features; `None` weights keep the raw confidence."""

    weights: list[float] | None = None
    bias: float = 0.0

    def confidence(self, row: list[float], real: float, speaker: float, raw: float) -> float:
        if self.weights is None:
            return raw
        z = self.bias + sum(w * x for w, x in zip(self.weights, calibration_features(row, real, speaker)))
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    @classmethod
    def fit(cls, features: list[list[float]], right: list[bool], C: float = 1.0) -> Calibration:
        if len(set(right)) < 2:
            return cls()
        import numpy as np
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
