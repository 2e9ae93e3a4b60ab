"""How well speakers resolve: share left unresolved/anonymous, antecedent accuracy, cross-article merge P/R, and
whether entity names are ones a reader can use (rule check over every dev entity, a hand-judged sample).

The within-article figures feed the dataset's GOLD speaker spans to the resolver (tokenised with
wortlaut.nlp for POS), so they measure resolution, not extraction. The hand-built gold sets live in
eval/speakers/ (see its README): within_*.jsonl name the right antecedent of pronoun/description speakers,
merge.jsonl clusters speaker names from different articles by real identity.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from rich.table import Table

from .. import nlp, settings
from ..document import Document, Entity, Quotation
from ..resolve import (
    Resolution,
    build_context,
    is_date_or_number_word,
    is_source_noun,
    name_stem_key,
    normalize_alias,
    resolve_all,
    title_line_end,
)
from ..resolve.lexicon import UNKNOWN_SOURCE
from ..store.catalogue import Catalogue
from .gold import read_gold

GOLD_DIR = settings.REPO_DIR / "eval" / "speakers"
QUOTE_MARKS = frozenset("„“”\"»«‚‘’'")
UNRESOLVED = "unresolved"
ANONYMOUS = "anonymous"


def resolved_documents(
    path: Path, doc_ids: set[str] | None = None, limit: int | None = None
) -> Iterator[tuple[Document, dict[str, Resolution]]]:
    """Gold documents re-tokenised for POS, with each speaker-bearing quotation's resolution by quotation id."""
    for doc in read_gold(path, limit=limit):
        if doc_ids is not None and doc.id not in doc_ids:
            continue
        nlp.tokenize(doc)
        ctx = build_context(doc)
        yield doc, {q.id: r for q, r in resolve_all(ctx)}


@dataclass
class ShareReport:
    """How the speakers of one split resolve, by route (named, linked, backref, generic, anonymous, unresolved)."""

    quotations: int = 0
    with_speaker: int = 0
    how: Counter[str] = field(default_factory=Counter)

    @property
    def unresolved_share(self) -> float:
        return self.how[UNRESOLVED] / self.with_speaker if self.with_speaker else 0.0

    @property
    def anonymous_share(self) -> float:
        return self.how[ANONYMOUS] / self.with_speaker if self.with_speaker else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "quotations": self.quotations,
            "with_speaker": self.with_speaker,
            "how": dict(self.how),
            "unresolved_share": round(self.unresolved_share, 4),
            "anonymous_share": round(self.anonymous_share, 4),
            "unresolved_or_anonymous_share": round(self.unresolved_share + self.anonymous_share, 4),
        }


def resolution_shares(path: Path, limit: int | None = None) -> ShareReport:
    report = ShareReport()
    for doc, resolutions in resolved_documents(path, limit=limit):
        report.quotations += len(doc.quotations)
        report.with_speaker += len(resolutions)
        report.how.update(r.how for r in resolutions.values())
    return report


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def entity_matches(entity: Entity, names: Iterable[str]) -> bool:
    """The entity is the annotated one: a name or alias is equal, or (persons) the surnames agree."""
    mine = {normalize_alias(n) for n in [entity.name, *entity.aliases]}
    stems = {name_stem_key(n) for n in [entity.name, *entity.aliases]}
    for name in names:
        key = normalize_alias(name)
        if key in mine or name_stem_key(name) in stems:
            return True
        if entity.kind == "person" and key.split()[-1:] == normalize_alias(entity.name).split()[-1:]:
            return True
    return False


def _quotation_at(doc: Document, speaker: list[int]) -> Quotation | None:
    for q in doc.quotations:
        if q.speaker and min(s.start for s in q.speaker) == speaker[0] and max(s.end for s in q.speaker) == speaker[1]:
            return q
    return None


@dataclass
class AntecedentReport:
    """Pronoun/description speakers: accuracy where the article names the referent, restraint where it does not."""

    named_cases: int = 0
    correct: int = 0
    unnamed_cases: int = 0
    unnamed_left_unlinked: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.named_cases if self.named_cases else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "named_cases": self.named_cases,
            "correct": self.correct,
            "accuracy": round(self.accuracy, 4),
            "unnamed_cases": self.unnamed_cases,
            "unnamed_left_unlinked": self.unnamed_left_unlinked,
        }


def antecedent_accuracy(gold_path: Path, data_path: Path) -> AntecedentReport:
    """Score the resolver against one hand-annotated within_*.jsonl file."""
    cases = read_jsonl(gold_path)
    report = AntecedentReport()
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for case in cases:
        by_doc.setdefault(case["doc"], []).append(case)
    for doc, resolutions in resolved_documents(data_path, set(by_doc)):
        for case in by_doc[doc.id or ""]:
            q = _quotation_at(doc, case["speaker"])
            resolution = resolutions.get(q.id) if q else None
            if resolution is None:
                report.errors.append(f"{doc.id} {case['speaker']}: quotation not found")
                continue
            if case["antecedent"]:
                report.named_cases += 1
                if entity_matches(resolution.entity, case["antecedent"]):
                    report.correct += 1
                else:
                    report.errors.append(
                        f"{doc.id} {case['speaker_text']!r} → {resolution.entity.name!r}, "
                        f"gold {case['antecedent'][0]!r}"
                    )
            else:
                report.unnamed_cases += 1
                report.unnamed_left_unlinked += resolution.how not in ("linked", "backref", "named")
    return report


@dataclass
class MergeReport:
    """Pairwise precision/recall of cross-article merging over the hand-clustered speaker names."""

    items: int = 0
    true_pairs: int = 0
    predicted_pairs: int = 0
    correct_pairs: int = 0

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    def to_json(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "true_pairs": self.true_pairs,
            "predicted_pairs": self.predicted_pairs,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
        }


def merge_catalogue(entities: Iterable[Entity], aliases: dict[str, str] | None = None) -> list[str]:
    """Feed entities one by one through the store's speaker Catalogue; the catalogue id of each."""
    catalogue = Catalogue(manual=aliases)
    return [catalogue.place(entity).entity.id for entity in entities]


def pairwise(labels: list[str], predicted: list[str]) -> MergeReport:
    report = MergeReport(items=len(labels))
    for i, j in combinations(range(len(labels)), 2):
        same_gold, same_pred = labels[i] == labels[j], predicted[i] == predicted[j]
        report.true_pairs += same_gold
        report.predicted_pairs += same_pred
        report.correct_pairs += same_gold and same_pred
    return report


def merge_scores(gold_path: Path, data_dir: Path) -> MergeReport:
    """Resolve each listed speaker in its article, merge across articles in file order, score the clusters."""
    items = read_jsonl(gold_path)
    entities: dict[int, Entity] = {}
    for split in sorted({item["split"] for item in items}):
        wanted = {item["doc"] for item in items if item["split"] == split}
        for doc, resolutions in resolved_documents(data_dir / f"{split}.jsonl", wanted):
            for n, item in enumerate(items):
                if item["split"] == split and item["doc"] == doc.id:
                    q = _quotation_at(doc, item["speaker"])
                    if q is not None and q.id in resolutions:
                        entities[n] = resolutions[q.id].entity
    order = [n for n in range(len(items)) if n in entities]
    predicted = merge_catalogue(entities[n] for n in order)
    return pairwise([items[n]["cluster"] for n in order], predicted)


@dataclass
class ProducedEntity:
    """An entity the resolver made in one article and the quotations resolved to it, in text order."""

    doc: Document
    entity: Entity
    quotations: list[Quotation]

    @property
    def key(self) -> tuple[str, int, int]:
        """(article, first speaker span): stable while speaker spans stay, whatever the name becomes."""
        first = self.quotations[0]
        return self.doc.id or "", min(s.start for s in first.speaker), max(s.end for s in first.speaker)


def produced_entities(path: Path, limit: int | None = None) -> list[ProducedEntity]:
    """Every entity the resolver makes for the gold speakers of a split, once per article."""
    out: list[ProducedEntity] = []
    for doc, resolutions in resolved_documents(path, limit=limit):
        by_id: dict[str, ProducedEntity] = {}
        ordered = sorted(
            (q for q in doc.quotations if q.id in resolutions), key=lambda q: min(s.start for s in q.speaker)
        )
        for q in ordered:
            entity = resolutions[q.id].entity
            by_id.setdefault(entity.id, ProducedEntity(doc, entity, [])).quotations.append(q)
        out.extend(by_id.values())
    return out


def _occurrences(name: str, doc: Document) -> list[int]:
    """Start offsets where the name's words stand next to each other in the text (quote marks skipped),
    inflection-blind, a word also matching inside a compound ("Polizei" in "Polizeiangaben")."""
    words = [name_stem_key(w) for w in name.split()]
    tokens = [t for t in doc.tokens if t.text not in QUOTE_MARKS]
    keys = [(name_stem_key(t.text), normalize_alias(t.text)) for t in tokens]
    starts = []
    for i in range(len(tokens) - len(words) + 1):
        if all(w == keys[i + n][0] or (len(w) > 3 and w in keys[i + n][1]) for n, w in enumerate(words)):
            starts.append(tokens[i].start)
    return starts


def glued_across_gap(name: str, doc: Document) -> bool:
    """'Angaben Ärzten' from 'Angaben von Ärzten': the name's words stand together nowhere in the text."""
    return len(name.split()) > 1 and not _occurrences(name, doc)


def names_source_noun(name: str) -> bool:
    """'Angaben', 'Medienberichten', 'Erkenntnisse': what was said, not who said it."""
    return any(is_source_noun(w.strip("".join(QUOTE_MARKS))) for w in name.split())


def names_date_or_number(name: str) -> bool:
    """'Vergangene Woche', 'Zwölf Todesopfer', 'Memorandum August 2002'; figures after a name's first word are
    part of the name ('Channel 10', 'Kanal 5'), unless a date word stands beside them."""
    return any(is_date_or_number_word(w) and not (n > 0 and w[:1].isdigit()) for n, w in enumerate(name.split()))


def headline_fragment(name: str, doc: Document, quotations: list[Quotation]) -> bool:
    """'Neckar Mannheim' for 'Mannheims Oberbürgermeister Peter Kurz': the name stands only in the headline
    line, while the speaker span in the body names someone with words the name lacks."""
    title_end = title_line_end(doc)
    found = _occurrences(name, doc)
    if not title_end or not found or any(start >= title_end for start in found):
        return False
    mine = {normalize_alias(w) for w in name.split()}
    return any(
        t.pos in ("NE", "FM") and normalize_alias(t.text) not in mine
        for q in quotations
        for span in q.speaker
        for t in doc.tokens
        if span.start <= t.start < span.end
    )


def name_violations(produced: ProducedEntity) -> list[str]:
    """The naming rules an entity's name breaks, by rule name; the fixed name of a source the text does not
    name ("unbekannte Quelle") is built from no words and breaks none."""
    name, doc = produced.entity.name, produced.doc
    if name == UNKNOWN_SOURCE:
        return []
    checks = {
        "glued_across_gap": glued_across_gap(name, doc),
        "source_noun": names_source_noun(name),
        "date_or_number": names_date_or_number(name),
        "headline_fragment": headline_fragment(name, doc, produced.quotations),
    }
    return [rule for rule, broken in checks.items() if broken]


def entities_by_speaker(entities: list[ProducedEntity]) -> dict[tuple[str, int, int], ProducedEntity]:
    """Each entity under (article, speaker span) of every quotation resolved to it, so a judged speaker span
    finds its entity even after a change merged it with another (whose first span comes earlier)."""
    out: dict[tuple[str, int, int], ProducedEntity] = {}
    for produced in entities:
        for q in produced.quotations:
            out[produced.doc.id or "", min(s.start for s in q.speaker), max(s.end for s in q.speaker)] = produced
    return out


@dataclass
class NameReport:
    """Rule violations over all dev entities, and the hand-judged sample's share of acceptable names."""

    entities: int = 0
    violations: list[str] = field(default_factory=list)
    judged: int = 0
    acceptable: int = 0
    rejected: list[str] = field(default_factory=list)
    unjudged: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "entities": self.entities,
            "violating": len(self.violations),
            "violating_share": round(len(self.violations) / self.entities, 4) if self.entities else 0.0,
            "violations": self.violations,
            "sample_judged": self.judged,
            "sample_acceptable": self.acceptable,
            "sample_acceptable_share": round(self.acceptable / self.judged, 4) if self.judged else 0.0,
            "sample_rejected": self.rejected,
            "sample_unjudged": self.unjudged,
        }


def name_quality(path: Path, gold_path: Path) -> NameReport:
    """Check every entity name against the rules; score the hand-judged sample (the entities the gold speaker
    spans resolve to) against the judgements.

    A judged name counts as acceptable when it is the judged name marked acceptable, or the correction given;
    a judged span that resolves to no entity, or to one whose name changed to an unjudged one, is listed as
    unjudged."""
    entities = produced_entities(path)
    report = NameReport(entities=len(entities))
    for produced in entities:
        broken = name_violations(produced)
        if broken:
            report.violations.append(f"{produced.doc.id} {produced.entity.name!r}: {', '.join(broken)}")
    gold = read_jsonl(gold_path) if gold_path.exists() else []
    by_speaker = entities_by_speaker(entities)
    for judgement in gold:
        found = by_speaker.get((judgement["doc"], *judgement["speaker"]))
        if found is None:
            report.unjudged.append(f"{judgement['doc']} {judgement['speaker_text']!r}: no entity for the span")
            continue
        name = normalize_alias(found.entity.name)
        label = f"{found.doc.id} {found.entity.name!r}"
        if name not in _judged_names(judgement):
            report.unjudged.append(label)
            continue
        report.judged += 1
        if name == normalize_alias(judgement["corrected"] or "") or (
            judgement["acceptable"] and name == normalize_alias(judgement["name"])
        ):
            report.acceptable += 1
        else:
            report.rejected.append(f"{label}, should be {judgement['corrected']!r}")
    return report


def _judged_names(judgement: dict[str, Any]) -> set[str]:
    return {normalize_alias(judgement["name"]), normalize_alias(judgement["corrected"] or judgement["name"])}


def evaluate_speakers(
    data_dir: Path = settings.DATA_DIR, gold_dir: Path = GOLD_DIR, limit: int | None = None
) -> dict[str, Any]:
    """All figures of `wortlaut eval-speakers`."""
    figures: dict[str, Any] = {"dev_shares": resolution_shares(data_dir / "dev.jsonl", limit=limit).to_json()}
    for split in ("dev", "train"):
        path = gold_dir / f"within_{split}.jsonl"
        if path.exists():
            report = antecedent_accuracy(path, data_dir / f"{split}.jsonl")
            figures[f"antecedents_{split}"] = report.to_json()
            figures[f"antecedent_errors_{split}"] = report.errors
    figures["merge"] = merge_scores(gold_dir / "merge.jsonl", data_dir).to_json()
    figures["merge_heldout"] = merge_scores(gold_dir / "merge_heldout.jsonl", data_dir).to_json()
    figures["names"] = name_quality(data_dir / "dev.jsonl", gold_dir / "names_gold.jsonl").to_json()
    return figures


def figures_table(figures: dict[str, Any]) -> Table:
    table = Table(title="speaker resolution")
    table.add_column("figure")
    table.add_column("value", justify="right")
    shares = figures["dev_shares"]
    table.add_row("dev quotations with a speaker", str(shares["with_speaker"]))
    table.add_row("unresolved share", f"{shares['unresolved_share']:.3f}")
    table.add_row("anonymous share", f"{shares['anonymous_share']:.3f}")
    for route, count in sorted(shares["how"].items()):
        table.add_row(f"  route {route}", str(count))
    for split in ("dev", "train"):
        ante = figures.get(f"antecedents_{split}")
        if ante:
            table.add_row(f"antecedent accuracy ({split}, n={ante['named_cases']})", f"{ante['accuracy']:.3f}")
            table.add_row(
                f"unnamed referents left unlinked ({split}, n={ante['unnamed_cases']})",
                str(ante["unnamed_left_unlinked"]),
            )
    for key in ("merge", "merge_heldout"):
        merge = figures[key]
        table.add_row(f"{key} precision (n={merge['items']})", f"{merge['precision']:.3f}")
        table.add_row(f"{key} recall (n={merge['items']})", f"{merge['recall']:.3f}")
    names = figures["names"]
    table.add_row(f"entity names breaking a rule (dev, n={names['entities']})", f"{names['violating_share']:.3f}")
    share = f"{names['sample_acceptable_share']:.3f}"
    table.add_row(f"entity names acceptable (sample, n={names['sample_judged']})", share)
    return table
