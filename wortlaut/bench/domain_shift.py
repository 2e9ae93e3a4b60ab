"""`wortlaut bench --only domain-shift`: do reviewers' corrections help more on a domain the model never saw?

The training data is Wikinews politics and world news. `domain/` holds 50 hand-written football articles
annotated in the dataset's scheme: `fussball.txt`, 40 match reports and club news quoted the way news agencies
quote, and `formate.txt`, 10 in the sports pages' own formats ("Stimmen zum Spiel" lists, question-and-answer
interviews without quotation marks, ticker entries, "Haberland vor dem Spiel: „…“"). A seeded half of each
file is held out (25 articles); the other 25 are handed to the simulated reviewer least confident first, as in
`review-loop`, and the model is retrained on train + 0, 10 and 25 of them. Each model is scored on the
held-out 25, on each file's held-out part (figures prefixed by the file name) and on review-loop's 60
held-out dev articles (prefix `dev_`), to see whether the football corrections cost anything on news.

`--limit N` trains on the first N training articles (with fewer iterations), as in review-loop.

Figures of 2026-11-30, `--limit 200` (joint / attribution F1; MODEL_CARD.md has the discussion):

    reviewed football articles     0              10             25
    held-out football (25)         0.895 / 0.824  0.912 / 0.834  0.906 / 0.859
      fussball.txt (20)            0.931 / 0.896  0.942 / 0.908  0.938 / 0.920
      formate.txt (5)              0.718 / 0.500  0.773 / 0.500  0.745 / 0.571
    dev held-out (60)              0.734 / 0.676  0.732 / 0.662  0.753 / 0.690
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from .common import BenchConfig, Figures
from .review_loop import SEED, dev_split, learning_curve, review_order

DOMAIN_DIR = Path(__file__).with_name("domain")
STEPS = (0, 10, 25)


def domain_files() -> list[Path]:
    return sorted(DOMAIN_DIR.glob("*.txt"))


def domain_lines(path: Path) -> dict[str, str]:
    """A file's articles as dataset records (JSON lines) by article id; bad ones are reported and skipped."""
    from ..training.markup import dataset_records

    def report(error: str) -> None:
        print(f"domain-shift: {error}", file=sys.stderr)

    return {record["documentName"].split(" ", 1)[0]: json.dumps(record) for record in dataset_records(path, report)}


def domain_shift(config: BenchConfig) -> Figures:
    """Joint and attribution F1 on the 25 held-out football articles (and on the dev held-out) after 0, 10 and
    25 reviewed football articles."""
    held_out: dict[str, list[str]] = {"": []}
    pool: list[str] = []
    for path in domain_files():
        lines = domain_lines(path)
        held = set(random.Random(SEED).sample(sorted(lines), len(lines) // 2))
        held_out[f"{path.stem}_"] = [line for name, line in lines.items() if name in held]
        held_out[""] += held_out[f"{path.stem}_"]
        pool += [line for name, line in lines.items() if name not in held]
    held_out["dev_"] = dev_split(config)[0]
    return learning_curve(config, held_out, review_order(pool, config.extractor), STEPS, "domain-shift")
