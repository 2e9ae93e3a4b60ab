"""A real `wortlaut ingest` process is killed with SIGKILL mid-run; the re-run resumes and loses nothing.

Each batch is one transaction, so after the kill the store holds whole batches only: every stored article
has all its quotations and spans, exactly as an uninterrupted run stores them.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from conftest import article_variants

from wortlaut.ingest import ingest
from wortlaut.store import open_store

ARTICLES = 40
WORTLAUT = Path(sys.executable).with_name("wortlaut")


@pytest.fixture(scope="module")
def articles_jsonl(tmp_path_factory) -> Path:
    """Articles made from examples/ (conftest's article_variants) as a plain JSONL dump: id, title, text."""
    path = tmp_path_factory.mktemp("kill") / "articles.jsonl"
    records = [{"id": doc.id, "title": doc.title, "text": doc.text} for doc in article_variants(ARTICLES)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def snapshot(url: str) -> dict[str, list[tuple]]:
    """Per article: its quotations (id, type, offsets, entity) with their spans; what 'not half-written' means."""
    with open_store(url) as store:
        rows = store.db.execute(
            "SELECT q.article_id, q.qid, q.type, q.start_char, q.end_char, q.entity_id, "
            "(SELECT count(*) FROM spans s WHERE s.quotation_pk = q.pk) AS spans FROM quotations q"
        )
        result: dict[str, list[tuple]] = {a.id: [] for a in store.articles(limit=10_000)}
    for r in rows:
        result[r["article_id"]].append(
            (r["qid"], r["type"], r["start_char"], r["end_char"], r["entity_id"], r["spans"])
        )
    return {k: sorted(v) for k, v in result.items()}


@pytest.fixture(scope="module")
def reference(articles_jsonl, tmp_path_factory) -> dict[str, list[tuple]]:
    """What an uninterrupted run stores."""
    url = str(tmp_path_factory.mktemp("reference") / "reference.sqlite")
    with open_store(url) as store:
        report = ingest(store, [str(articles_jsonl)], extractor="rules", batch_size=5)
    assert report.stored == ARTICLES
    return snapshot(url)


def stored_articles(url: str) -> int:
    """Articles committed so far. A SQLite file is read over a read-only connection, which never waits for the
    writer (write-ahead log), so the kill lands mid-run however fast the ingest is; opening the Store itself
    can wait on the writer's lock while the ingest finishes."""
    try:
        if "://" not in url:
            with closing(sqlite3.connect(f"file:{url}?mode=ro", uri=True, timeout=0.1)) as db:
                return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
        with open_store(url) as store:
            return store.stats().articles
    except Exception:  # the store (or its tables) may not exist yet while the process starts
        return 0


def run_ingest(url: str, jsonl: Path) -> subprocess.Popen:
    command = [str(WORTLAUT), "ingest", str(jsonl), "--db", url, "--extractor", "rules", "--batch-size", "5"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_killed_ingest_resumes_without_loss(store_url, articles_jsonl, reference):
    process = run_ingest(store_url, articles_jsonl)
    deadline = time.monotonic() + 300
    while stored_articles(store_url) < ARTICLES // 3:
        assert process.poll() is None, f"ingest ended before it could be killed: {process.stderr.read()}"
        assert time.monotonic() < deadline, "ingest stored nothing in 300 s"
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL

    interrupted = snapshot(store_url)
    assert ARTICLES // 3 <= len(interrupted) < ARTICLES  # killed mid-run
    for article_id, quotations in interrupted.items():
        assert quotations == reference[article_id], f"{article_id} is half-written"

    rerun = run_ingest(store_url, articles_jsonl)
    _, stderr = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, stderr
    assert f"{ARTICLES - len(interrupted)} stored, {len(interrupted)} skipped as duplicate" in " ".join(stderr.split())
    assert snapshot(store_url) == reference
