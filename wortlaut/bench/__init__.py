"""`wortlaut bench`: speed and memory figures, kept out of the tests so the tests never depend on timing.

Each section takes a BenchConfig and returns a flat dict of figures; SECTIONS lists them in the order they
run, and `--only NAME` picks some.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.table import Table

from . import analyze, batch, domain_shift, long, review_loop, serve, store
from .common import BenchConfig, Figures

SECTIONS: dict[str, Callable[[BenchConfig], Figures]] = {
    "startup": analyze.startup,
    "analyze": analyze.analyze_throughput,
    "analyze-parallel": analyze.analyze_parallel,
    "batch": batch.batch_scaling,
    "store-ingest": store.store_ingest,
    "store-search": store.store_search,
    "long": long.long_section,
    "serve": serve.serve_load,
    "review-loop": review_loop.review_loop,
    "domain-shift": domain_shift.domain_shift,
}

__all__ = ["SECTIONS", "BenchConfig", "Figures", "run", "table"]


def run(config: BenchConfig, only: Iterable[str] | None = None) -> dict[str, Figures]:
    """Run the selected sections (all when `only` is empty) and collect their figures by name."""
    names = list(only or SECTIONS)
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        raise KeyError(f"unknown bench section(s) {', '.join(unknown)} (known: {', '.join(SECTIONS)})")
    return {name: SECTIONS[name](config) for name in names}


def table(results: dict[str, Figures]) -> Table:
    out = Table(title="wortlaut bench")
    out.add_column("section")
    out.add_column("figure")
    out.add_column("value", justify="right")
    for name, figures in results.items():
        for n, (key, value) in enumerate(figures.items()):
            out.add_row(name if n == 0 else "", key, str(value))
    return out
