"""`wortlaut ingest --workers N`: the analysis runs in N processes, the checks and the storing stay in one.

The stored result must not depend on N, and an article whose analysis raises fails alone, with one line,
whichever process analysed it. A failing article is made with a real extractor registered here: the rules,
except that a marker word in the text raises (once a picklable error, once one that cannot cross processes).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import article_variants
from typer.testing import CliRunner

from wortlaut.cli import app
from wortlaut.document import Document
from wortlaut.ingest import ingest, reanalyze
from wortlaut.registry import Component, extractors
from wortlaut.store import open_store

ARTICLES = 12
FAILING = "rules-failing-on-marker"
WORTLAUT = Path(sys.executable).with_name("wortlaut")


class UnpicklableError(Exception):
    """An error whose constructor takes other arguments than its args: it cannot be unpickled as is."""

    def __init__(self, doc_id: str | None, reason: str) -> None:
        super().__init__(f"{doc_id}: {reason}")


@extractors.register(FAILING)
def rules_failing_on_marker() -> Component:
    """The rules extractor, raising on articles that contain KAPUTT or UNPICKLABLE."""
    rules = extractors.get("rules")()

    def extract(doc: Document) -> Document:
        if "KAPUTT" in doc.text:
            raise ValueError("marker found")
        if "UNPICKLABLE" in doc.text:
            raise UnpicklableError(doc.id, "marker found")
        return rules(doc)

    return extract


def variant_records(count: int) -> list[dict]:
    """Articles made from examples/ (conftest's article_variants) as JSONL records with URLs."""
    return [
        {"id": doc.id, "title": doc.title, "url": f"https://example.org/{n}", "text": doc.text}
        for n, doc in enumerate(article_variants(count))
    ]


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    """Articles with URLs, and in the middle: an English one, a text copy under another id, a
    same-URL copy that would fail analysis (recognised as a duplicate first), and two that fail analysis."""
    records = variant_records(ARTICLES)
    middle = [
        {"id": "english", "text": "The minister said on Monday that the bridge would be repaired by the autumn."},
        {"id": "text-copy", "text": records[0]["text"]},
        {"id": "url-copy", "url": records[1]["url"], "text": "KAPUTT " + records[1]["text"]},
        {"id": "broken", "text": "Die Ministerin sagte: „Das ist KAPUTT.“"},
        {"id": "unpicklable", "text": "Der Minister sagte: „Das ist UNPICKLABLE.“"},
    ]
    path = tmp_path / "articles.jsonl"
    lines = records[:6] + middle + records[6:]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), encoding="utf-8")
    return path


def stored(url: str) -> dict[str, dict]:
    """Every stored article with its quotations, speakers and spans, as the JSON output shows them."""
    with open_store(url) as store:
        return {a.id: store.article(a.id).to_json() for a in store.articles(limit=10_000)}


def test_workers_store_and_reanalyse_what_one_process_does(articles: Path, tmp_path: Path) -> None:
    ingested, reanalysed = {}, {}
    for workers in (1, 2):
        url = str(tmp_path / f"w{workers}.sqlite")
        with open_store(url) as store:
            report = ingest(store, [str(articles)], extractor=FAILING, batch_size=4, workers=workers)
        assert (report.stored, report.duplicate, len(report.skipped)) == (ARTICLES, 2, 1)
        assert [line.split(":")[0] for line in report.failed] == ["broken", "unpicklable"]
        ingested[workers] = stored(url)
        with open_store(url) as store:
            again = reanalyze(store, extractor=FAILING, batch_size=4, workers=workers)
        assert again.stored == ARTICLES and not again.failed
        reanalysed[workers] = stored(url)
    # the examples' quotations, as test_cli_analyze and the rules find them; a shuffled variant keeps its count
    per_example = [13, 13, 17, 10, 14, 11, 8, 8]
    assert {key: len(article["quotations"]) for key, article in ingested[2].items()} == {
        f"variant-{n:03d}": per_example[n % len(per_example)] for n in range(ARTICLES)
    }
    assert ingested[2] == ingested[1]
    assert reanalysed[2] == reanalysed[1]


def test_failing_article_reports_one_line_and_the_others_are_stored(articles: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "store.sqlite")
    run = CliRunner().invoke(app, ["ingest", str(articles), "--db", db, "--extractor", FAILING, "--workers", "2"])
    assert run.exit_code == 0, run.output
    output = " ".join(run.output.split())
    assert f"{ARTICLES} stored, 2 skipped as duplicate, 1 skipped as not German, 2 failed" in output
    failures = [line.strip() for line in run.output.splitlines() if "analysis failed" in line]
    assert failures == [
        "failed: broken: analysis failed (ValueError: marker found)",
        "failed: unpicklable: analysis failed (RuntimeError: UnpicklableError: unpicklable: marker found)",
    ]
    with open_store(db) as store:
        assert store.stats().articles == ARTICLES and store.article("broken") is None


def children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def running(pid: int) -> bool:
    """Alive and not a zombie (a zombie is dead, only not yet reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
def test_killed_parallel_ingest_leaves_no_workers_and_resumes(tmp_path: Path) -> None:
    jsonl = tmp_path / "articles.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in variant_records(60)), encoding="utf-8")
    db = str(tmp_path / "store.sqlite")
    command = [
        str(WORTLAUT),
        "ingest",
        str(jsonl),
        "--db",
        db,
        "--extractor",
        "rules",
        "--batch-size",
        "5",
        "--workers",
        "2",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while len(children(process.pid)) < 2 or not Path(db).exists():
        assert process.poll() is None, f"ingest ended before it could be killed: {process.stderr.read()}"
        assert time.monotonic() < deadline, "ingest started no workers in 300 s"
        time.sleep(0.05)
    workers = children(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    while any(map(running, workers)):
        assert time.monotonic() < deadline, "the workers outlived their killed parent"
        time.sleep(0.05)

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    with open_store(db) as store:
        assert store.stats().articles == 60
