"""Per-article time budget: an article whose analysis runs too long is reported and skipped, and the
articles batched with it are stored all the same, with one process and with a pool.

The slow article is made with a real extractor registered here: the rules, except that a marker word makes
it sleep far past any budget the tests give."""

from __future__ import annotations

import json
import pickle
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wortlaut import settings
from wortlaut.cli import app
from wortlaut.document import Document
from wortlaut.ingest import ingest
from wortlaut.parallel import AnalysisTimeout, within_budget
from wortlaut.registry import Component, extractors
from wortlaut.store import open_store

SLOW = "rules-slow-on-marker"
MARKER = "ENDLOS"


@extractors.register(SLOW)
def rules_slow_on_marker() -> Component:
    """The rules extractor, sleeping a minute on articles that contain the marker."""
    rules = extractors.get("rules")()

    def extract(doc: Document) -> Document:
        if MARKER in doc.text:
            time.sleep(60)
        return rules(doc)

    return extract


def articles(tmp_path: Path) -> Path:
    path = tmp_path / "artikel.jsonl"
    records = [
        {"id": "a", "text": "Die Ärztin sagte, die Lage sei angespannt."},
        {"id": "b", "text": f"Der Minister sagte, das Verfahren sei {MARKER} lang."},
        {"id": "c", "text": "Laut Polizei wurde niemand verletzt, sagte ein Sprecher."},
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.parametrize("workers", [1, 2])
def test_slow_article_is_skipped_and_the_rest_stored(tmp_path, workers):
    source = articles(tmp_path)
    with open_store(str(tmp_path / "x.sqlite")) as store:
        report = ingest(store, [str(source)], extractor=SLOW, workers=workers, batch_size=20, time_limit=2)
        assert report.failed == [f"{source}:2: article b: analysis took longer than 2 s; skipped"]
        assert report.stored == 2
        assert [doc.id for doc in store.iter_articles()] == ["a", "c"]


def test_the_setting_is_the_default_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "TIME_LIMIT", 1.5)
    source = articles(tmp_path)
    with open_store(str(tmp_path / "x.sqlite")) as store:
        report = ingest(store, [str(source)], extractor=SLOW)
    assert report.failed == [f"{source}:2: article b: analysis took longer than 1.5 s; skipped"]


def test_analyze_reports_the_slow_article_and_goes_on(tmp_path):
    source = articles(tmp_path)
    args = ["analyze", str(source), "--format", "jsonl", "--extractor", SLOW, "--time-limit", "2"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "c"]
    assert f"error: {source}:2: article b: analysis took longer than 2 s; skipped" in result.stderr


def test_timeout_crosses_processes_intact():
    error = pickle.loads(pickle.dumps(AnalysisTimeout("x.txt: article x", 2)))
    assert str(error) == "x.txt: article x: analysis took longer than 2 s; skipped"


def test_no_budget_outside_the_main_thread():
    """Signal handlers only run in the main thread: elsewhere the analysis runs unbudgeted, not broken."""
    results: list[str] = []

    def slow() -> str:
        time.sleep(0.3)
        return "fertig"

    thread = threading.Thread(target=lambda: results.append(within_budget(slow, 0.05, "article t")))
    thread.start()
    thread.join()
    assert results == ["fertig"]
