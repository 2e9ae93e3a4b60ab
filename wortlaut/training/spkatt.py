"""Score predictions with the official SpkAtt-2023 Task 2 scorer, the yardstick published results use.

The scorer is not part of this repository: it lives in ../shared/eval/spkatt (next to the checkout) and is
run from there through its own `run.py`, which converts the dataset JSONL and wortlaut's
`analyze --format jsonl` records into the task's format. Its figures differ from `wortlaut eval`'s own
(it matches quotations and counts tokens its own way), so both are reported side by side.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from .. import settings
from ..document import Document

DEFAULT_SCORER_DIR = settings.SHARED_DIR / "eval" / "spkatt"
RUNNER = "run.py"
#: the measures reported, in the scorer's own names.
MEASURES = ("Messages", "Roles", "Joint", "Form", "STWR", "SimplifiedMessages", "SimplifiedSource", "SimplifiedJoint")
SCORE_LINE = re.compile(r"^(\w+)\((F1|P|R)\):\s*(\S+)\s*$")


class ScorerMissing(FileNotFoundError):
    """The official scorer's directory (or its run.py) is not there."""


def scorer_runner(scorer_dir: Path | None) -> Path:
    runner = Path(scorer_dir or DEFAULT_SCORER_DIR) / RUNNER
    if not runner.is_file():
        raise ScorerMissing(f"{runner}: official SpkAtt scorer not found (point --scorer-dir at its directory)")
    return runner


def gold_records(gold_path: Path, limit: int | None) -> list[str]:
    """The gold file's non-empty lines, as read_gold reads them (so they line up with its documents)."""
    lines = [line for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[:limit] if limit is not None else lines


def parse_scores(output: str) -> dict[str, dict[str, float]]:
    """'Joint(F1): 0.41' lines → {"Joint": {"f1": 0.41, ...}} for the measures in MEASURES."""
    scores: dict[str, dict[str, float]] = {}
    for line in output.splitlines():
        match = SCORE_LINE.match(line.strip())
        if match and match.group(1) in MEASURES:
            scores.setdefault(match.group(1), {})[match.group(2).lower()] = round(float(match.group(3)), 4)
    return {name: scores[name] for name in MEASURES if name in scores}


def official_scores(
    gold_path: Path, predicted: list[Document], limit: int | None = None, scorer_dir: Path | None = None
) -> dict[str, dict[str, float]]:
    """P/R/F1 per official measure for predictions on the gold file's documents (same order as the file)."""
    runner = scorer_runner(scorer_dir)
    records = gold_records(Path(gold_path), limit)
    if len(records) != len(predicted):
        raise ValueError(f"{gold_path}: {len(records)} gold documents but {len(predicted)} predicted ones")
    with tempfile.TemporaryDirectory(prefix="wortlaut-spkatt-") as tmp:
        gold_file, pred_file = Path(tmp, "gold.jsonl"), Path(tmp, "pred.jsonl")
        gold_file.write_text("\n".join(records) + "\n", encoding="utf-8")
        with pred_file.open("w", encoding="utf-8") as out:
            for record, doc in zip(records, predicted):
                # run.py keys predictions by the dataset's documentName
                prediction = {**doc.to_json(), "id": json.loads(record)["documentName"]}
                out.write(json.dumps(prediction, ensure_ascii=False) + "\n")
        result = subprocess.run(
            [sys.executable, str(runner), str(gold_file), str(pred_file)], capture_output=True, text=True, cwd=tmp
        )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"{runner}: the official scorer failed: {last}")
    return parse_scores(result.stdout)
