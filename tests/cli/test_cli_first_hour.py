"""What a new user meets in the first hour (issue 15): a clone-only demo, one-line errors that say what to
do, one naming of the date options, tables that read at 80 columns, an honest progress bar and summary."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wortlaut import api, settings
from wortlaut.cli import app, workers_for

ARTICLE = (
    "date 2025-02-03 Streit um neue Radwege in Lindenau (Foto: privat)\n\n"
    "Der Stadtrat streitet über neue Radwege. „Wir brauchen sichere Wege für alle“, sagte Bürgermeisterin "
    "Eva Brandt am Montag. Die Kosten seien überschaubar.\n\n"
    "Kritik kam von Stadtrat Otto Wagner. Er sagte, das Geld fehle an anderer Stelle. "
    "„Das ist ein teures Prestigeprojekt“, sagte Wagner."
)
SECOND = (
    "date 2025-03-10 Lindenau eröffnet neues Hallenbad (Foto: privat)\n\n"
    "Das neue Hallenbad ist eröffnet. „Endlich können die Kinder wieder schwimmen lernen“, sagte "
    "Bürgermeisterin Eva Brandt. Laut Stadtverwaltung kostete der Bau 12 Millionen Euro."
)


def run(*args: str, columns: int = 200):
    return CliRunner(env={"COLUMNS": str(columns)}).invoke(app, list(args))


def one_line_error(result) -> str:
    """The error's single stderr line (asserting that there is exactly one)."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def store_db(tmp_path: Path) -> str:
    """A SQLite store with two small articles (rules extractor: fast and deterministic)."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "radwege.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "in" / "hallenbad.txt").write_text(SECOND, encoding="utf-8")
    db = str(tmp_path / "store.sqlite")
    result = run("ingest", str(tmp_path / "in"), "--db", db, "--extractor", "rules")
    assert result.exit_code == 0, result.output
    return db


# ---- 1. the demo runs on a clone: examples/ ships with the repository ---------------------------------------


def test_examples_are_complete_and_ingest_with_show(tmp_path: Path):
    texts = sorted(settings.EXAMPLES_DIR.glob("*.txt"))
    assert len(texts) >= 5
    records = [json.loads(line) for line in (settings.EXAMPLES_DIR / "articles.jsonl").read_text().splitlines()]
    assert len(records) >= 2
    assert all(set(r) == {"id", "text", "title", "date", "url", "source", "author"} for r in records)
    db = str(tmp_path / "demo.sqlite")
    result = run("ingest", str(settings.EXAMPLES_DIR), "--db", db, "--show")
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert f"{len(texts) + len(records)} stored, 0 skipped as duplicate" in output
    assert "Lindenau saniert die Hafenbrücke" in output and "Katrin Vogt" in output
    assert "Stored in" in output
    with api.open_store(db) as store:
        doc = store.article("windpark-hagenau")
    assert doc is not None and (doc.url, doc.source, doc.author) == (
        records[0]["url"],
        records[0]["source"],
        records[0]["author"],
    )


def test_dev_demo_reads_the_examples_not_shared():
    script = (settings.REPO_DIR / "dev").read_text()
    assert "../shared" not in script and 'ingest "$EXAMPLES" --show' in script


def test_show_never_claims_a_store_when_nothing_was_stored(tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = run("ingest", str(empty), "--db", str(tmp_path / "s.sqlite"), "--show")
    assert result.exit_code == 1
    assert "Stored in" not in result.output and "Search it" not in result.output


def test_show_again_says_already_stored(store_db: str, tmp_path: Path):
    result = run("ingest", str(tmp_path / "in"), "--db", store_db, "--extractor", "rules", "--show")
    assert result.exit_code == 0, result.output
    assert "Already stored in" in result.output


# ---- 2. no dataset: where to get it and what layout ---------------------------------------------------------


@pytest.mark.parametrize("command", ["train", "eval", "bench"])
def test_missing_dataset_says_where_and_what(command: str, tmp_path: Path, monkeypatch):
    missing = tmp_path / "nowhere"
    monkeypatch.setattr(settings, "DEV_GOLD", missing / "dev.jsonl")
    args = {"train": ["--data-dir", str(missing)], "eval": [str(missing / "dev.jsonl")], "bench": []}[command]
    result = run(command, *args)
    assert result.exit_code == 2
    line = one_line_error(result)
    assert settings.DATA_HOME in line and "train.jsonl" in line and "dev.jsonl" in line
    assert str(missing) in line


# ---- 3. a missing extra: the pip command, not a traceback ---------------------------------------------------


@pytest.mark.parametrize(
    ("module", "args", "expected"),
    [
        ("pyspark", ["batch", "in.jsonl", "-o", "out"], "pip install 'wortlaut[spark]'"),
        ("uvicorn", ["serve"], "pip install 'wortlaut[web]'"),
        ("psycopg", ["search", "--db", "postgresql://localhost/nothing"], "pip install 'wortlaut[postgres]'"),
    ],
)
def test_missing_extra_names_the_install_command(module: str, args: list[str], expected: str, monkeypatch):
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if the package were not installed
    result = run(*args)
    assert result.exit_code == 2
    line = one_line_error(result)
    assert expected in line
    if module == "pyspark":
        assert "Java" in line


def test_batch_without_java_says_so(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    result = run("batch", "in.jsonl", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "Java" in one_line_error(result)


# ---- 4. a mistyped --db is refused, not created ---------------------------------------------------------------


@pytest.mark.parametrize("command", [["search"], ["speakers"], ["serve"], ["export", "-f", "jsonl"]])
def test_mistyped_db_is_refused(command: list[str], tmp_path: Path):
    typo = tmp_path / "wortluat.sqlite"
    result = run(*command, "--db", str(typo))
    assert result.exit_code == 2
    assert str(typo) in one_line_error(result)
    assert not typo.exists()


# ---- 5. one pair of date options ------------------------------------------------------------------------------


def test_since_until_filter_and_old_names_still_work(store_db: str):
    def dates(*args: str) -> set[str]:
        result = run("search", "--db", store_db, "-f", "jsonl", *args)
        assert result.exit_code == 0, result.output
        return {json.loads(line)["date"] for line in result.stdout.splitlines()}

    assert dates("--since", "2025-03") == {"2025-03-10"}
    assert dates("--until", "2025-02") == {"2025-02-03"}
    assert dates("--from", "2025-03", "--to", "2025-03-31") == {"2025-03-10"}
    help_text = run("search", "--help").output
    assert "--since" in help_text and "--from" not in help_text


def test_readme_documents_the_options_the_cli_has():
    readme = (settings.REPO_DIR / "README.md").read_text(encoding="utf-8")
    assert "--since" in readme and "--until" in readme and "--from" not in readme


# ---- 6. output: readable at 80 columns, reading order, speakers as data ------------------------------------


def test_search_table_at_80_columns_keeps_dates_and_types_whole(store_db: str):
    result = run("search", "--db", store_db, columns=80)
    assert result.exit_code == 0, result.output
    assert "2025-02-03" in result.stdout and "2025-03-10" in result.stdout
    assert "Direct" in result.stdout and "Indirect" in result.stdout
    assert "…" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_an_articles_quotations_come_in_reading_order(store_db: str):
    result = run("search", "--db", store_db, "--article", "radwege", "-f", "jsonl")
    starts = [json.loads(line)["start"] for line in result.stdout.splitlines()]
    assert len(starts) >= 3 and starts == sorted(starts)


def test_speakers_as_json_and_ids_never_cut(store_db: str):
    result = run("speakers", "--db", store_db, "-f", "json")
    assert result.exit_code == 0, result.output
    speakers = json.loads(result.stdout)
    assert {"id", "name", "kind", "aliases", "descriptors", "quotation_count"} <= set(speakers[0])
    lines = run("speakers", "--db", store_db, "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [s["id"] for s in speakers]
    table = run("speakers", "--db", store_db, columns=60).stdout
    for speaker in speakers:
        assert speaker["id"] in table


# ---- 7. progress and summary ----------------------------------------------------------------------------------


def test_progress_moves_once_per_article_and_report_counts_quotations(tmp_path: Path):
    (tmp_path / "radwege.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "hallenbad.txt").write_text(SECOND, encoding="utf-8")
    (tmp_path / "kopie.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "leer.txt").write_text("", encoding="utf-8")
    events: list[str] = []
    with api.open_store(str(tmp_path / "s.sqlite")) as store:
        [report] = api.ingest(
            store, [str(tmp_path)], extractor="rules", batch_size=20, progress=lambda event, _: events.append(event)
        )
        stats = store.stats()
    assert sorted(events) == ["analysed", "analysed", "duplicate", "failed"]
    assert report.processed == len(events) == 4
    assert report.quotations == stats.quotations >= 3
    assert report.speakers >= 2


def test_summary_names_quotations_and_speakers(tmp_path: Path):
    (tmp_path / "radwege.txt").write_text(ARTICLE, encoding="utf-8")
    result = run("ingest", str(tmp_path / "radwege.txt"), "--db", str(tmp_path / "s.sqlite"), "--extractor", "rules")
    assert result.exit_code == 0, result.output
    summary = " ".join(result.stderr.split())
    assert "1 stored" in summary and "quotations by" in summary and "speakers stored" in summary


# ---- 8. workers: all cores when there is enough to share -------------------------------------------------------


def test_workers_auto_uses_the_cores_only_for_enough_articles():
    assert workers_for(0, None) == 1
    assert workers_for(0, settings.PARALLEL_MIN_ARTICLES - 1) == 1
    assert workers_for(0, settings.PARALLEL_MIN_ARTICLES) == (os.cpu_count() or 1)
    assert workers_for(3, 1) == 3
