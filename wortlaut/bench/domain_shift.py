"""`wortlaut bench --only domain-shift`: do reviewers' corrections help more on a domain the model never saw?

The training data is Wikinews politics and world news. `domain/fussball.txt` holds 50 hand-written football
articles annotated in the dataset's scheme: 40 match reports and club news written the way news agencies
quote, and 10 in the sports pages' own formats ("Stimmen zum Spiel" lists, question-and-answer interviews
without quotation marks, ticker entries, "Haberland vor dem Spiel: „…“"). A seeded 25 are held out; the
other 25 are handed to the simulated reviewer least confident first, as in `review-loop`, and the model is
retrained on train + 0, 10 and 25 of them and scored on the held-out 25. Each model is also scored on
review-loop's 60 held-out dev articles, to see whether the football corrections cost anything on news.

`--limit N` trains on the first N training articles (with fewer iterations), as in review-loop.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from .common import BenchConfig, Figures
from .review_loop import SEED, dev_split, learning_curve, review_order

ARTICLES = Path(__file__).with_name("domain") / "fussball.txt"
HELD_OUT = 25
STEPS = (0, 10, 25)


def domain_lines(path: Path = ARTICLES) -> dict[str, str]:
    """The hand-written articles as dataset records (JSON lines) by article id; bad ones are reported, skipped."""
    from ..training.markup import dataset_records

    def report(error: str) -> None:
        print(f"domain-shift: {error}", file=sys.stderr)

    return {record["documentName"].split(" ", 1)[0]: json.dumps(record) for record in dataset_records(path, report)}


def domain_shift(config: BenchConfig) -> Figures:
    """Joint and attribution F1 on 25 held-out football articles (and on the dev held-out) after 0, 10 and 25
    reviewed football articles."""
    lines = domain_lines()
    held = set(random.Random(SEED).sample(sorted(lines), HELD_OUT))
    order = review_order([line for name, line in lines.items() if name not in held], config.extractor)
    held_out = {"": [line for name, line in lines.items() if name in held], "dev_": dev_split(config)[0]}
    return learning_curve(config, held_out, order, STEPS, "domain-shift")
