"""Stage 3 of the learned extractor: a boosted classifier that keeps or drops each candidate quotation.

The token CRF decides sentence by sentence with a linear model; it cannot weigh "no cue anywhere near, no
Konjunktiv, no quote marks" together and so tags plain narration as Indirect or Reported now and then. This
stage sees each candidate quotation whole (type, CRF confidence, where the rules agree, cue, speaker, mood,
marks, neighbours) and learns, from out-of-fold predictions on the training data, which candidates are real.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..document import QUOTATION_TYPES, Document, Quotation
from .features import DocView, matching_rule
from .lexicon import FIRST_PERSON, QUOTE_COMPLEMENTISERS, SOURCE_NOUNS, SOURCE_PREPOSITIONS

if TYPE_CHECKING:  # scikit-learn is needed only for training, and its import is slow
    from sklearn.ensemble import GradientBoostingClassifier

CUE_RANK = {"hi": 3, "mid": 2, "lex": 2, "lo": 1, "": 0}


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def candidate_features(
    doc: Document, v: DocView, q: Quotation, from_rules: bool, previous: Quotation | None
) -> list[float]:
    """A fixed-length numeric description of one candidate quotation and of the candidate before it."""
    ids = doc.token_ids(q.quote)
    tokens = [doc.tokens[i] for i in ids]
    sents = sorted({t.sent for t in tokens})
    around = [i for s in range(sents[0], sents[-1] + 1) for i in v.sentences[s]]
    inside = set(ids)
    outside = [i for i in around if i not in inside]
    finite = [t for t in tokens if "FIN" in t.pos]
    cue_ids = doc.token_ids(q.cue)
    speaker_ids = doc.token_ids(q.speaker)
    first, last = doc.tokens[ids[0]], doc.tokens[ids[-1]]
    before = doc.tokens[ids[0] - 1] if ids[0] > 0 else None
    prev_gap = 99 if previous is None else max(0, first.sent - doc.tokens[doc.token_ids(previous.quote)[-1]].sent)
    rule = matching_rule(doc, v, inside)
    return [
        *(float(rule is not None and rule.type == t) for t in QUOTATION_TYPES),
        rule.confidence if rule is not None else 0.0,
        len(ids) / len(around),
        _share([t.pos == "NE" for t in tokens]),
        float(rule is not None and not set(speaker_ids).isdisjoint(doc.token_ids(rule.speaker))),
        float(min((abs(i - j) for i in speaker_ids for j in (ids[0], ids[-1])), default=99)),
        *(float(q.type == t) for t in QUOTATION_TYPES),
        q.confidence,
        float(from_rules),
        float(len(ids)),
        float(len(sents)),
        _share([any(i in tokens for tokens in v.rule_tokens.values()) for i in ids]),
        _share([i in v.rule_tokens.get(q.type, ()) for i in ids]),
        float(bool(cue_ids)),
        float(max((CUE_RANK[v.cue[i]] for i in cue_ids), default=0)),
        float(max((CUE_RANK[v.cue[i]] for i in outside), default=0)),
        float(max((CUE_RANK[v.cue[i]] for i in ids), default=0)),
        float(bool(speaker_ids)),
        float(any(doc.tokens[i].pos == "NE" for i in speaker_ids)),
        float(any(doc.tokens[i].pos in ("PPER", "PDS") for i in speaker_ids)),
        float(bool(q.frame)),
        float(bool(q.addressee)),
        _share([t.mood == "konj1" for t in finite]),
        _share([t.mood == "konj2" for t in finite]),
        float(len(finite)),
        float(any(t.lemma in ("sollen", "müssen", "wollen") for t in finite)),
        _share([v.depth[i] > 0 for i in ids]),
        float(v.mark[ids[0]] == "open" or (before is not None and v.mark[before.i] == "open")),
        float(any(t.text.lower() in FIRST_PERSON for t in tokens)),
        float(
            any(doc.tokens[i].text.lower() in SOURCE_PREPOSITIONS or doc.tokens[i].text in SOURCE_NOUNS for i in around)
        ),
        float(first.text.lower() in QUOTE_COMPLEMENTISERS),
        float(before is not None and before.text in (",", ":")),
        float(before is None or before.sent != first.sent),
        float(
            ids[-1] + 1 >= len(doc.tokens)
            or doc.tokens[ids[-1] + 1].sent != last.sent
            or doc.tokens[ids[-1] + 1].text in (".", "!", "?")
        ),
        float(v.para_start[ids[0]]),
        float(min(prev_gap, 5)),
        *(float(previous is not None and previous.type == t) for t in QUOTATION_TYPES),
    ]


def is_real(doc: Document, quotation: Quotation, gold: list[Quotation]) -> bool:
    """Training label: at least half of the candidate's tokens lie in one gold quotation."""
    ids = set(doc.token_ids(quotation.quote))
    best = max((len(ids.intersection(doc.token_ids(g.quote))) for g in gold), default=0)
    return best >= 0.5 * len(ids)


@dataclass
class TreeEnsemble:
    """A trained binary gradient-boosting model as plain arrays, evaluated with numpy.

    Exported from scikit-learn's GradientBoostingClassifier at training time, so that running the extractor
    needs neither scikit-learn (its import alone costs half a second) nor unpickling, and the artifact is an
    `.npz` of numbers. All trees are flattened into one node table; leaves point to themselves, so walking
    every tree for `depth` steps lands each row on its leaf in every tree at once.
    """

    roots: np.ndarray  # node index of each tree's root
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray  # leaf value times the learning rate
    bias: float  # the model's starting log-odds
    depth: int

    @classmethod
    def from_sklearn(cls, model: GradientBoostingClassifier) -> TreeEnsemble:
        offset = 0
        roots, feature, threshold, left, right, value = [], [], [], [], [], []
        for (regressor,) in model.estimators_:
            tree = regressor.tree_
            ids = np.arange(tree.node_count) + offset
            leaf = tree.children_left < 0
            roots.append(offset)
            feature.append(np.where(leaf, 0, tree.feature))
            threshold.append(np.where(leaf, np.inf, tree.threshold))
            left.append(np.where(leaf, ids, tree.children_left + offset))
            right.append(np.where(leaf, ids, tree.children_right + offset))
            value.append(tree.value[:, 0, 0] * model.learning_rate)
            offset += tree.node_count
        zero = np.zeros((1, model.n_features_in_))
        trees = sum(float(regressor.predict(zero)[0]) for (regressor,) in model.estimators_)
        bias = float(model.decision_function(zero)[0]) - model.learning_rate * trees
        depth = max(regressor.tree_.max_depth for (regressor,) in model.estimators_)
        return cls(
            roots=np.array(roots),
            feature=np.concatenate(feature),
            threshold=np.concatenate(threshold),
            left=np.concatenate(left),
            right=np.concatenate(right),
            value=np.concatenate(value),
            bias=bias,
            depth=depth,
        )

    def probability(self, rows: list[list[float]]) -> np.ndarray:
        """P(real) per row; rows are compared as float32, as scikit-learn's trees compare them."""
        x = np.asarray(rows, dtype=np.float32).astype(np.float64)
        node = np.tile(self.roots, (len(x), 1))
        row = np.arange(len(x))[:, None]
        for _ in range(self.depth):
            node = np.where(x[row, self.feature[node]] <= self.threshold[node], self.left[node], self.right[node])
        probability: np.ndarray = 1.0 / (1.0 + np.exp(-(self.bias + self.value[node].sum(axis=1))))
        return probability

    def save(self, path: Path) -> None:
        """An .npz numpy.load reads; written by hand with fixed entry dates so equal models give equal bytes."""
        arrays = {name: getattr(self, name) for name in ("roots", "feature", "threshold", "left", "right", "value")}
        arrays.update(bias=np.array(self.bias), depth=np.array(self.depth))
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, array in arrays.items():
                with archive.open(zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0)), "w") as entry:
                    np.lib.format.write_array(entry, array, allow_pickle=False)

    @classmethod
    def load(cls, path: Path) -> TreeEnsemble:
        with np.load(path, allow_pickle=False) as data:
            return cls(
                roots=data["roots"],
                feature=data["feature"],
                threshold=data["threshold"],
                left=data["left"],
                right=data["right"],
                value=data["value"],
                bias=float(data["bias"]),
                depth=int(data["depth"]),
            )


@dataclass
class QuotationScorer:
    """Boosted trees over candidate_features; candidates scoring below `threshold` are dropped.

    `trees` is None when training saw only one kind of candidate (tiny training runs): then every candidate
    is kept, which is what the extractor did before this stage existed, and the artifact holds no trees.
    """

    trees: TreeEnsemble | None
    threshold: float

    @classmethod
    def fit(cls, rows: list[list[float]], labels: list[bool], threshold: float, seed: int) -> QuotationScorer:
        if len(set(labels)) < 2:
            return cls(None, threshold)
        from sklearn.ensemble import GradientBoostingClassifier

        model = GradientBoostingClassifier(
            n_estimators=200, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=20, random_state=seed
        )
        model.fit(rows, labels)
        return cls(TreeEnsemble.from_sklearn(model), threshold)

    def probability(self, rows: list[list[float]]) -> list[float]:
        """P(real) per candidate; 1 for every candidate when there are no trees."""
        if self.trees is None or not rows:
            return [1.0] * len(rows)
        return [float(p) for p in self.trees.probability(rows)]

    def keep(self, rows: list[list[float]]) -> list[bool]:
        return [p >= self.threshold for p in self.probability(rows)]

    def save(self, path: Path) -> None:
        if self.trees is None:
            path.write_bytes(b"")
        else:
            self.trees.save(path)

    @classmethod
    def load(cls, path: Path, threshold: float) -> QuotationScorer:
        return cls(TreeEnsemble.load(path) if path.stat().st_size else None, threshold)
