"""What every `wortlaut bench` section shares: its configuration, the articles it runs on, memory readings."""

from __future__ import annotations

import resource
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import settings

Figures = dict[str, Any]


@dataclass(frozen=True)
class BenchConfig:
    gold: Path = settings.DEV_GOLD
    extractor: str | None = None
    limit: int | None = None


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_texts(config: BenchConfig) -> list[str]:
    """The articles' original texts, without their annotations."""
    from ..training.gold import read_gold

    return [doc.text for doc in read_gold(config.gold, limit=config.limit)]
