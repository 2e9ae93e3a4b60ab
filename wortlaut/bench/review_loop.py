"""`wortlaut bench --only review-loop`: do reviewers' corrections make the model better, and how fast?

The dev articles play an archive. A fixed, seeded 60 of them are held out for scoring; the other 90 are the
review pool, ordered the way the review queue orders work: least confident first (the mean confidence of
an article's quotations under the shipped model). A simulated reviewer corrects 30, 60 and 90 of them to
the gold annotation, so their `corrections export` records are exactly the gold records. After each step
the model is retrained on train + the reviewed articles (`wortlaut train --extra`) and scored on the held-out
60. The curve (0, 30, 60, 90 reviewed articles) goes into the model card.

`--limit N` trains on the first N training articles (with fewer iterations): the steps take minutes
instead of a quarter of an hour each on two cores, and the curve keeps its shape.

Figures of 2026-11-30 (joint / attribution F1 on the held-out 60; MODEL_CARD.md has the discussion):

    reviewed articles      0              30             60             90
    --limit 200            0.734 / 0.676  0.717 / 0.679  0.758 / 0.695  0.753 / 0.690
    all training data      0.777 / 0.714  0.789 / 0.733  0.767 / 0.705  0.764 / 0.708
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
from pathlib import Path

from .. import api
from ..document import Document
from .common import BenchConfig, Figures

HELD_OUT = 60
STEPS = (0, 30, 60, 90)
SEED = 13


def review_order(pool: list[str], extractor: str | None) -> list[str]:
    """The pool's records least confident first, as the review queue would hand them out."""
    from ..training.gold import gold_document

    def mean_confidence(record: str) -> float:
        gold = gold_document(json.loads(record))
        found = api.analyze(Document(text=gold.text, id=gold.id), extractor=extractor).quotations
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


def learning_curve(
    config: BenchConfig, held_out: dict[str, list[str]], reviewed: list[str], steps: tuple[int, ...], name: str
) -> Figures:
    """Joint and attribution F1 on each held-out set of records (its figures prefixed by its key) after training
    on train + the first n reviewed records, for each n in `steps`. Each step is reported on stderr as it
    finishes, so the finished steps of a long run survive an interrupted one."""
    from ..training.gold import read_gold
    from ..training.train import TrainConfig, load_corpus, score, train

    train_config = TrainConfig(limit=config.limit, iterations=50 if config.limit else TrainConfig.iterations)
    figures: Figures = {f"{prefix}held_out": len(lines) for prefix, lines in held_out.items()}
    figures["train_limit"] = config.limit or "all"
    with tempfile.TemporaryDirectory() as tmp:
        scored = {}
        for n, (prefix, lines) in enumerate(held_out.items()):
            held_file = Path(tmp) / f"held-out-{n}.jsonl"
            held_file.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
            scored[prefix] = (load_corpus(held_file, None), list(read_gold(held_file)))
        for step in steps:
            extra = Path(tmp) / f"reviewed-{step}.jsonl"
            extra.write_text("".join(line + "\n" for line in reviewed[:step]), encoding="utf-8")
            model = Path(tmp) / f"model-{step}"
            train(
                config.gold.with_name("train.jsonl"),
                None,
                model,
                train_config,
                extra=[extra] if step else [],
                log=lambda _: None,
            )
            for prefix, (tokenised, gold) in scored.items():
                report = score(model, tokenised, gold).to_json()
                figures[f"{prefix}joint_f1_{step}"] = joint = report["parts"]["joint"]["f1"]
                figures[f"{prefix}attribution_f1_{step}"] = attribution = report["attribution"]["f1"]
                print(
                    f"{name}: {step} reviewed: {prefix}joint F1 {joint:.3f}, {prefix}attribution F1 {attribution:.3f}",
                    file=sys.stderr,
                    flush=True,
                )
    return figures


def dev_split(config: BenchConfig) -> tuple[list[str], list[str]]:
    """The seeded held-out dev records, and the other dev records."""
    lines = gold_lines(config.gold)
    held = set(random.Random(SEED).sample(list(lines), HELD_OUT))
    return [line for name, line in lines.items() if name in held], [
        line for name, line in lines.items() if name not in held
    ]


def review_loop(config: BenchConfig) -> Figures:
    """Joint and attribution F1 on the held-out articles after 0, 30, 60 and 90 reviewed articles."""
    held_out, pool = dev_split(config)
    return learning_curve(config, {"": held_out}, review_order(pool, config.extractor), STEPS, "review-loop")
