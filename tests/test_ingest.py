"""Bad input through the CLI: one line naming the file, the batch goes on; offsets always index the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import trafilatura
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from wortlaut.api import analyze
from wortlaut.cli import app
from wortlaut.document import Document
from wortlaut.ingest import ingest
from wortlaut.readers import read_sources
from wortlaut.readers.parquet import parquet_record
from wortlaut.store import open_store

GOOD = "Die Ärztin sagte, die Lage sei angespannt.\n"


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def run_json(runner: CliRunner, *paths: Path):
    result = runner.invoke(app, ["analyze", *map(str, paths), "--format", "json", "--extractor", "rules"])
    docs = json.loads(result.stdout) if result.stdout.strip() else []
    return result, docs


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error")]


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("latin1.txt", "Die Ärztin sagte, es sei spät.".encode("latin-1"), "UTF-8"),
    ],
)
def test_bad_file_is_named_and_others_still_analysed(runner, tmp_path, name, content, reason):
    bad, good = tmp_path / name, tmp_path / "good.txt"
    bad.write_bytes(content)
    good.write_text(GOOD, encoding="utf-8")
    result, docs = run_json(runner, bad, good)
    assert result.exit_code == 0
    errors = error_lines(result)
    assert len(errors) == 1 and str(bad) in errors[0] and reason in errors[0]
    assert [d["id"] for d in docs] == ["good"]
    assert docs[0]["quotations"]


def test_only_bad_input_exits_non_zero(runner, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result, docs = run_json(runner, bad)
    assert result.exit_code != 0 and docs == []
    assert str(bad) in error_lines(result)[0]


def test_nonexistent_path(runner, tmp_path):
    missing, good = tmp_path / "missing.txt", tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    result, docs = run_json(runner, missing, good)
    assert result.exit_code == 0
    assert str(missing) in error_lines(result)[0]
    assert [d["id"] for d in docs] == ["good"]


def test_malformed_jsonl_line_names_file_and_line(runner, tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "a", "text": GOOD}),
        '{"id": "b", "text": "kaputt',
        json.dumps({"id": "c", "text": "Laut Polizei wurde niemand verletzt."}),
        json.dumps({"id": "d"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result, docs = run_json(runner, path)
    assert result.exit_code == 0
    errors = error_lines(result)
    assert len(errors) == 2
    assert f"{path}:2" in errors[0] and "malformed JSON" in errors[0]
    assert f"{path}:4" in errors[1] and "text" in errors[1]
    assert [d["id"] for d in docs] == ["a", "c"]


def test_jsonl_id_and_text_come_back_unchanged(runner, tmp_path):
    text = "  Zeile eins\r\nDer Minister sagte: „Wir prüfen das.“\t\n\nÜberschrift – „Zitat“ 😀 "
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"id": "art-0042", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    result, docs = run_json(runner, path)
    assert result.exit_code == 0, result.output
    assert docs[0]["id"] == "art-0042"
    assert docs[0]["text"] == text
    for q in docs[0]["quotations"]:
        for span in q["quote"] + q["speaker"]:
            assert text[span["start"] : span["end"]] == span["text"]


FRAGMENTS = [
    "Die Ärztin",
    "sagte",
    ",",
    "dass",
    "„",
    "“",
    "»",
    "«",
    '"',
    "‚",
    "‘",
    "sei",
    "habe",
    "laut",
    "Polizei",
    "zufolge",
    "so",
    "Anna Berg",
    ":",
    ".",
    "\n",
    "\n\n",
    "–",
    "soll",
    "erklärte",
    "Er",
]
TEXTS = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), min_size=1, max_size=40).map(" ".join)


@settings(max_examples=50, deadline=None)
@given(TEXTS)
def test_every_span_indexes_the_text(text):
    doc = analyze(text, extractor="rules")
    assert doc.text == text
    for q in doc.quotations:
        for part in ("quote", "speaker", "cue", "frame", "addressee"):
            for span in q.part(part):
                assert 0 <= span.start <= span.end <= len(text)
                assert text[span.start : span.end] == span.text


def test_jsonl_field_of_wrong_type_names_file_line_and_field(runner, tmp_path):
    path = tmp_path / "felder.jsonl"
    lines = [
        json.dumps({"id": "a", "text": GOOD, "url": ["https://example.org/a", "https://example.org/b"]}),
        json.dumps({"id": 7, "text": GOOD, "url": "https://example.org/7", "author": None}),
        json.dumps({"id": "c", "text": GOOD, "title": {"de": "Titel"}}),
        json.dumps({"id": ["d"], "text": GOOD}),
        json.dumps({"id": "e", "text": GOOD, "date": 20240101}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result, docs = run_json(runner, path)
    assert result.exit_code == 0, result.output
    assert [line.removeprefix("error: ") for line in error_lines(result)] == [
        f"{path}:1: field 'url' must be a string",
        f"{path}:3: field 'title' must be a string",
        f"{path}:4: field 'id' must be a string or a number",
        f"{path}:5: field 'date' must be a string",
    ]
    assert [(d["id"], d["url"]) for d in docs] == [("7", "https://example.org/7")]


class ParquetRow:
    """The one method of a Spark Row that parquet_record uses."""

    def __init__(self, **values: object) -> None:
        self.values = values

    def asDict(self, recursive: bool = False) -> dict[str, object]:
        return dict(self.values)


def test_parquet_row_fields_are_checked_like_jsonl():
    meta = {"file_path": "file:/daten/teil.parquet", "row_index": 4}
    bad = parquet_record(ParquetRow(text=GOOD, id=3, source=["dpa", "afp"], _metadata=meta))
    assert str(bad) == "/daten/teil.parquet:row 5: field 'source' must be a string"
    good = parquet_record(ParquetRow(text=GOOD, id=3, source="dpa", url=None, _metadata=meta))
    assert isinstance(good, Document) and (good.id, good.source) == ("3", "dpa")


def nested_page(depth: int) -> str:
    paragraphs = f"<p>{GOOD}</p><p>Zweiter <b>Absatz</b> &amp; Schluss.</p>"
    return (
        "<html><head><title>Tief verschachtelt</title><script>var x = '<p>kein Text</p>';</script></head><body>"
        + "<div>" * depth
        + paragraphs
        + "</div>" * depth
        + "</body></html>"
    )


@pytest.mark.parametrize("depth", [300, 3000])
def test_deeply_nested_html_still_gives_its_text(tmp_path, depth):
    path = tmp_path / "tief.html"
    path.write_text(nested_page(depth), encoding="utf-8")
    [doc] = read_sources([str(path)])
    assert isinstance(doc, Document)
    assert doc.title == "Tief verschachtelt"
    assert doc.text == f"Tief verschachtelt\n\n{GOOD.strip()}\n\nZweiter Absatz & Schluss."


def test_html_is_read_when_trafilatura_fails(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    path = tmp_path / "seite.html"
    path.write_text(nested_page(3), encoding="utf-8")
    [doc] = read_sources([str(path)])
    assert isinstance(doc, Document) and GOOD.strip() in doc.text


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_same_file_name_in_two_folders_gives_two_articles(tmp_path):
    root = tmp_path / "archiv"
    write(root / "2024-01-01" / "artikel.txt", GOOD)
    write(root / "2024-01-02" / "artikel.txt", "Der Minister sagte, er sei zufrieden.\n")
    write(root / "2024-01-03" / "artikel.txt", GOOD)  # a true repeat of the first
    write(root / "mirror" / "index.html", nested_page(2))
    single = write(tmp_path / "einzeln.txt", "Laut Polizei wurde niemand verletzt.\n")
    ids = [item.id for item in read_sources([str(root), str(single)])]
    assert ids == ["2024-01-01/artikel", "2024-01-02/artikel", "2024-01-03/artikel", "mirror/index", "einzeln"]

    events: list[tuple[str, str]] = []
    with open_store(str(tmp_path / "x.sqlite")) as store:
        report = ingest(store, [str(root)], extractor="rules", progress=lambda *event: events.append(event))
        assert (report.stored, report.duplicate, report.failed) == (3, 1, [])
        assert sorted(report.articles) == [
            "2024-01-01/artikel",
            "2024-01-01/artikel",
            "2024-01-02/artikel",
            "mirror/index",
        ]
        again = ingest(store, [str(root / "2024-01-02")], extractor="rules")
        assert (again.stored, again.duplicate) == (0, 1)  # same text, now under the id of a file given directly
    repeat = root / "2024-01-03" / "artikel.txt"
    assert ("duplicate", f"{repeat}: article 2024-01-03/artikel: already stored as 2024-01-01/artikel") in events
