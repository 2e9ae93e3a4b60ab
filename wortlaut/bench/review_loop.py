"""`wortlaut bench --only review-loop`: do reviewers' corrections make the model better, and how fast?

The dev articles play an archive. A fixed, seeded 60 of them are held out for scoring; the other 90 are the
review pool, ordered the way the review queue orders work: least confident first (the mean confidence of
an article's quotations under the shipped model). A simulated reviewer corrects 30, 60 and 90 of them to
the gold annotation, so their `corrections export` records are exactly the gold records. After each step
the model is retrained on train + the reviewed articles (`wortlaut train --extra`) and scored on the held-out
60. The curve (0, 30, 60, 90 reviewed articles) goes into the model card.

`--limit N` trains on the first N training articles (with fewer iterations): the steps take minutes
instead of a quarter of an hour each on two cores, and the curve keeps its shape.
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
from pathlib import Path

from .. import api
from ..document import Document
from .common import BenchConfig, Figures

HELD_OUT = 60
STEPS = (0, 30, 60, 90)
SEED = 13


def review_order(pool: list[Document], extractor: str | None) -> list[Document]:
    """The pool least confident first, as the review queue would hand it out."""

    def mean_confidence(doc: Document) -> float:
        found = api.analyze(Document(text=doc.text, id=doc.id), extractor=extractor).quotations
        return statistics.fmean(q.confidence for q in found) if found else 0.0

    return sorted(pool, key=mean_confidence)


def gold_lines(path: Path) -> dict[str, str]:
    """The dataset file's records by the article id `read_gold` gives them."""
    from ..training.gold import gold_document

    lines = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            lines[str(gold_document(json.loads(line)).id)] = line
    return lines


def review_loop(config: BenchConfig) -> Figures:
    """Joint and attribution F1 on the held-out articles after 0, 30, 60 and 90 reviewed articles."""
    from ..training.gold import read_gold
    from ..training.train import TrainConfig, load_corpus, score, train

    dev = list(read_gold(config.gold))
    held = set(random.Random(SEED).sample([str(d.id) for d in dev], HELD_OUT))
    held_out = [d for d in dev if d.id in held]
    order = review_order([d for d in dev if d.id not in held], config.extractor)
    lines = gold_lines(config.gold)
    train_config = TrainConfig(limit=config.limit, iterations=50 if config.limit else TrainConfig.iterations)
    figures: Figures = {"held_out": len(held_out), "train_limit": config.limit or "all"}
    with tempfile.TemporaryDirectory() as tmp:
        held_file = Path(tmp) / "held-out.jsonl"
        held_file.write_text("".join(lines[str(d.id)] + "\n" for d in held_out), encoding="utf-8")
        tokenised = load_corpus(held_file, None)
        for step in STEPS:
            extra = Path(tmp) / f"reviewed-{step}.jsonl"
            extra.write_text("".join(lines[str(d.id)] + "\n" for d in order[:step]), encoding="utf-8")
            model = Path(tmp) / f"model-{step}"
            train(
                config.gold.with_name("train.jsonl"),
                None,
                model,
                train_config,
                extra=[extra] if step else [],
                log=lambda _: None,
            )
            report = score(model, tokenised, held_out).to_json()
            figures[f"joint_f1_{step}"] = report["parts"]["joint"]["f1"]
            figures[f"attribution_f1_{step}"] = report["attribution"]["f1"]
    return figures
