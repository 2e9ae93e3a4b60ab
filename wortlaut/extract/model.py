"""The learned extractor: two linear-chain CRFs trained on the German news quotation corpus.

Stage 1 tags every token of a document as outside a quotation, beginning one (B-type), inside one (I-type)
or resuming the previous one after an interruption (C-type: „…“, sagte sie, „…“). Stage 2 reads a window of
sentences around each quotation and tags its speaker, cue, frame and addressee. Continuations in Konjunktiv I
(IndirectFreeIndirect) carry the speaker of the quotation they continue; quotations the rules find where the
model found none are added with the rules' parts; quoted words inside an indirect quotation become nested
Direct quotations. See MODEL_CARD.md for data, figures and weaknesses.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pycrfsuite

from .. import settings
from ..document import Document, Quotation, Span
from ..nlp import tokenize
from ..registry import extractors
from .calibration import Calibration, calibration_features, speaker_features
from .cleanup import cleaned
from .features import (
    CueLexicon,
    DocView,
    matching_rule,
    medium_features,
    quote_features,
    role_features,
    role_window,
    token_base,
    view,
)
from .lexicon import is_quote_mark, pair_quote_marks
from .rules import Ranges
from .scorer import QuotationScorer, candidate_features

MODEL_DIR = settings.MODEL_DIR
QUOTES_FILE, ROLES_FILE, MEDIUM_FILE, META_FILE = "quotes.crfsuite", "roles.crfsuite", "medium.crfsuite", "model.json"
SCORER_FILE = "scorer.npz"
TAGGER_FILES = (QUOTES_FILE, ROLES_FILE, MEDIUM_FILE, META_FILE)
ARTIFACT_FILES = (*TAGGER_FILES, SCORER_FILE)

#: role letters in stage-2 labels ("FS" = a token in both frame and speaker).
ROLE_LETTERS = {"S": "speaker", "C": "cue", "F": "frame", "A": "addressee"}
#: types whose speaker is inherited from the quotation they continue instead of tagged.
INHERITING_TYPES = frozenset({"IndirectFreeIndirect"})
#: types whose quote span is taken from the rules when they found the same quotation (see snapped_to_rule).
SNAP_TYPES = frozenset({"Direct", "Indirect"})
#: a token whose speaker marginal reaches this is taken as speaker when Viterbi named none.
SPEAKER_FALLBACK = 0.15


def quote_groups(labels: list[str]) -> list[tuple[str, list[list[int]]]]:
    """Stage-1 labels → quotations as (type, segments of token ids); type by majority over tokens."""
    groups: list[tuple[Counter[str], list[list[int]]]] = []
    open_segment: list[int] | None = None
    for i, label in enumerate(labels):
        if label == "O":
            open_segment = None
            continue
        tag, qtype = label.split("-", 1)
        if tag == "I" and open_segment is not None:
            open_segment.append(i)
        elif tag == "C" and groups:
            open_segment = [i]
            groups[-1][1].append(open_segment)
        else:
            open_segment = [i]
            groups.append((Counter(), [open_segment]))
        groups[-1][0][qtype] += 1
    return [(types.most_common(1)[0][0], segments) for types, segments in groups]


def snapped_to_rule(doc: Document, v: DocView, ids: list[int], qtype: str) -> list[int]:
    """The rules' tokens for a quotation they found too, with the same type, when that type is in SNAP_TYPES.

    The rules delimit Direct (quote marks) and Indirect quotations (the clause after the frame's comma)
    more exactly than the token CRF, whose edges drift into the frame; and the role tagger, trained on
    gold quote spans, tags speaker, cue and frame better around an exact quote (MODEL_CARD.md).
    """
    if qtype not in SNAP_TYPES:
        return ids
    rule = matching_rule(doc, v, set(ids))
    return doc.token_ids(rule.quote) if rule is not None and rule.type == qtype else ids


def with_whole_marks(doc: Document, ids: list[int]) -> list[int]:
    """Speaker runs that open or close a quote mark take its partner right next to them ('„Spiegel' → '„Spiegel“')."""
    out = set(ids)
    for run in token_runs(sorted(ids)):
        first, last = run[0], run[-1]
        if is_quote_mark(doc.tokens[first]) and last + 1 < len(doc.tokens) and is_quote_mark(doc.tokens[last + 1]):
            out.add(last + 1)
        if is_quote_mark(doc.tokens[last]) and first > 0 and is_quote_mark(doc.tokens[first - 1]):
            out.add(first - 1)
    return sorted(out)


def has_name(doc: Document, ids: list[int]) -> bool:
    """Whether the tokens include a proper noun: a speaker phrase without one is rarely the real speaker."""
    return any(doc.tokens[i].pos == "NE" for i in ids)


def token_runs(ids: list[int]) -> list[list[int]]:
    """Consecutive runs in a sorted list of token ids (one run = one span)."""
    runs: list[list[int]] = []
    for i in ids:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def tokens_starting_in(doc: Document, spans: list[Span]) -> list[int]:
    """Ids of the tokens that start inside any of the spans, in text order (a subset of those overlapping them)."""
    return [i for i in doc.token_ids(spans) if any(s.start <= doc.tokens[i].start < s.end for s in spans)]


def spans_of(doc: Document, ids: list[int]) -> list[Span]:
    return [doc.token_span(run[0], run[-1]) for run in token_runs(sorted(ids))]


def open_tagger(path: Path) -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


@dataclass
class QuotationModel:
    """The three taggers (quotes, roles, medium), the learned lexicon and the candidate scorer; callable on a
    tokenized Document. Loads without the scorer (keeping every candidate) for training the scorer itself.

    A kept quotation's confidence is the calibrated probability that it and its speaker are right."""

    quotes: pycrfsuite.Tagger
    roles: pycrfsuite.Tagger
    media: pycrfsuite.Tagger
    lexicon: CueLexicon
    scorer: QuotationScorer
    calibration: Calibration

    @classmethod
    def load(cls, directory: Path = MODEL_DIR, with_scorer: bool = True) -> QuotationModel:
        directory = Path(directory)
        for name in ARTIFACT_FILES if with_scorer else TAGGER_FILES:
            if not (directory / name).is_file():
                raise FileNotFoundError(f"{directory / name}: model artifact missing (run `wortlaut train`)")
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        quotes, roles, media = (open_tagger(directory / name) for name in (QUOTES_FILE, ROLES_FILE, MEDIUM_FILE))
        threshold = meta["config"]["scorer_threshold"]
        scorer = (
            QuotationScorer.load(directory / SCORER_FILE, threshold)
            if with_scorer
            else QuotationScorer(None, threshold)
        )
        calibration = Calibration.from_json(meta.get("calibration")) if with_scorer else Calibration()
        return cls(quotes, roles, media, CueLexicon.from_json(meta["lexicon"]), scorer, calibration)

    def __call__(self, doc: Document) -> Document:
        if not doc.tokens:
            tokenize(doc)
        doc.quotations = self.extract(doc) if doc.tokens else []
        return doc

    def extract(self, doc: Document) -> list[Quotation]:
        candidates, rows, speaker = self.candidates(doc)
        real = self.scorer.probability(rows)
        quotations, inputs = finished(doc, candidates, rows, real, speaker, self.scorer.threshold)
        for q, features in zip(quotations, inputs):
            q.confidence = self.calibration.confidence(features, q.confidence)
        return quotations

    def candidates(self, doc: Document) -> tuple[list[Quotation], list[list[float]], list[float]]:
        """Top-level quotations of the CRFs and of the rules, in text order, each with its scorer features and
        its speaker score (the role tagger's speaker marginal; 0 for the rules' quotations)."""
        v = view(doc, self.lexicon)
        base = token_base(doc, v)
        labels = self.quotes.tag(quote_features(doc, v, base))
        tagged: list[Quotation] = []
        speaker: dict[int, float] = {}
        for n, (qtype, segments) in enumerate(quote_groups(labels)):
            crf_ids = [i for seg in segments for i in seg]
            ids = snapped_to_rule(doc, v, crf_ids, qtype)
            q = Quotation(id=f"q{n}", type=qtype, quote=spans_of(doc, ids), confidence=self.confidence(labels, crf_ids))
            previous = tagged[-1] if tagged else None
            speaker[id(q)] = self.attribute(doc, v, base, q, ids, previous, speaker[id(previous)] if previous else 0.0)
            tagged.append(q)
        from_rules = self.missed_by_model(doc, v, tagged)
        candidates = sorted(tagged + from_rules, key=lambda q: q.start)
        rows = [
            candidate_features(doc, v, q, any(q is r for r in from_rules), candidates[k - 1] if k else None)
            for k, q in enumerate(candidates)
        ]
        return candidates, rows, [speaker.get(id(q), 0.0) for q in candidates]

    @staticmethod
    def missed_by_model(doc: Document, v: DocView, quotations: list[Quotation]) -> list[Quotation]:
        """Top-level rule quotations sharing no token with the model's: the CRF misses some quotations the rules
        see (recall 0.73), and adding them raised dev quote, joint and attribution F1 (MODEL_CARD.md)."""
        taken = {i for q in quotations for i in doc.token_ids(q.quote)}
        return [r for r in v.rules if not r.nested_in and taken.isdisjoint(doc.token_ids(r.quote))]

    def confidence(self, labels: list[str], ids: list[int]) -> float:
        """Mean CRF marginal probability of the labels given to the quotation's tokens."""
        return float(sum(self.quotes.marginal(labels[i], i) for i in ids)) / len(ids)

    def attribute(
        self,
        doc: Document,
        v: DocView,
        base: list[list[str]],
        q: Quotation,
        ids: list[int],
        previous: Quotation | None,
        previous_speaker: float,
    ) -> float:
        """Fill speaker, cue, frame, addressee and medium of one quotation; return its speaker score."""
        parts: dict[str, list[int]] = {part: [] for part in ROLE_LETTERS.values()}
        speaker = previous_speaker
        if q.type not in INHERITING_TYPES or previous is None:
            parts, speaker = self.tag_roles(doc, v, base, ids, q.type)
            for part, tokens in parts.items():
                setattr(q, part, spans_of(doc, tokens))
        if q.type in INHERITING_TYPES and previous is not None:
            q.speaker = list(previous.speaker)
            parts["speaker"] = tokens_starting_in(doc, q.speaker)
        parts["quote"] = ids
        q.medium = self.media.tag([medium_features(doc, v, q.type, parts)])[0]
        return speaker

    def tag_roles(
        self, doc: Document, v: DocView, base: list[list[str]], ids: list[int], qtype: str
    ) -> tuple[dict[str, list[int]], float]:
        """Token ids of each part in the window around the quotation, and the speaker's mean speaker marginal.

        When the best tag sequence names no speaker, tokens the CRF still thinks likely speakers (marginal
        ≥ SPEAKER_FALLBACK) are taken: a quotation almost always has one, and a near miss beats none.
        When the CRF's speaker holds no name and the rules name a different one, the rules' is taken: the CRF
        reads any "nach … von X" as a source ("Macron erklärte nach den Beratungen von 35 Staaten, dass …").
        """
        window = role_window(doc, v, ids)
        labels = self.roles.tag(role_features(doc, v, base, window, set(ids), qtype))
        parts = {
            part: [i for i, label in zip(window, labels) if letter in label] for letter, part in ROLE_LETTERS.items()
        }
        speaker_labels = [label for label in self.roles.labels() if "S" in label]
        marginal = {i: sum(self.roles.marginal(label, k) for label in speaker_labels) for k, i in enumerate(window)}
        if not parts["speaker"]:
            parts["speaker"] = [i for i in window if marginal[i] >= SPEAKER_FALLBACK]
        parts["speaker"] = with_whole_marks(doc, parts["speaker"])
        rule = matching_rule(doc, v, set(ids))
        rule_speaker = doc.token_ids(rule.speaker) if rule is not None else []
        if (
            has_name(doc, rule_speaker)
            and not has_name(doc, parts["speaker"])
            and set(rule_speaker).isdisjoint(parts["speaker"])
        ):
            parts["speaker"] = rule_speaker
        speaker = parts["speaker"]
        return parts, sum(marginal.get(i, 0.0) for i in speaker) / len(speaker) if speaker else 0.0

    @staticmethod
    def nested(doc: Document, quotations: list[Quotation]) -> list[Quotation]:
        """Quoted words inside an indirect or reported quotation are a nested Direct quotation of its speaker."""
        marks = Ranges(pair_quote_marks(doc.text))
        out: list[Quotation] = []
        for q in quotations:
            if q.type == "Direct":
                continue
            for start, end in marks.starting_in(q.start, q.end):
                if any(s.start <= start and end <= s.end for s in q.quote) and (start, end) != (q.start, q.end):
                    out.append(
                        Quotation(
                            id=f"q{len(quotations) + len(out)}",
                            type="Direct",
                            medium=q.medium,
                            quote=[doc.span(start, end)],
                            speaker=list(q.speaker),
                            cue=list(q.cue),
                            frame=list(q.frame),
                            addressee=list(q.addressee),
                            nested_in=q.id,
                            confidence=q.confidence,
                        )
                    )
        return out


def finished(
    doc: Document,
    candidates: list[Quotation],
    rows: list[list[float]],
    real: list[float],
    speaker: list[float],
    threshold: float,
) -> tuple[list[Quotation], list[list[float]]]:
    """The quotations users get from the candidates (those the scorer keeps, their nested quotations, all
    post-processed) and each one's calibration features; training calibrates on exactly these.

    The candidates are changed in place. A nested quotation, or a report the post-processing found inside
    one, takes the scorer inputs and the tagged speaker of the top-level candidate it lies in; a quotation the
    post-processing made otherwise, those of the candidate it overlaps most.
    """
    kept: list[Quotation] = []
    inputs: dict[str, tuple[list[float], float, float, list[Span]]] = {}
    for q, row, probability, speaker_score in zip(candidates, rows, real, speaker, strict=True):
        if probability >= threshold:
            q.id = f"q{len(kept)}"
            kept.append(q)
            inputs[q.id] = (row, probability, speaker_score, list(q.speaker))
    nested = QuotationModel.nested(doc, kept)
    top = {q.id: q.nested_in or q.id for q in kept + nested}
    quotations = cleaned(doc, kept + nested)
    features = []
    for q in quotations:
        origin = top.get(q.id) or q.nested_in
        row, probability, speaker_score, tagged = inputs[origin if origin in inputs else overlapping(doc, q, kept)]
        features.append(calibration_features(row, probability, speaker_score, speaker_features(doc, q, tagged)))
    return quotations, features


def overlapping(doc: Document, q: Quotation, kept: list[Quotation]) -> str:
    """The id of the kept candidate whose quote shares most tokens with a quotation the post-processing made
    on its own (the first one when none does), whose scorer inputs it then takes."""
    ids = set(doc.token_ids(q.quote))
    return max(kept, key=lambda k: len(ids.intersection(doc.token_ids(k.quote)))).id


@extractors.register("model")
def model_extractor(directory: Path = MODEL_DIR) -> QuotationModel:
    """The default extractor; FileNotFoundError when the artifact is missing lets the pipeline fall back."""
    return QuotationModel.load(directory)
