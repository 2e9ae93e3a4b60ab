"""Exports read back with the csv module, json and pyarrow: every awkward character survives."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
from typer.testing import CliRunner

from wortlaut.cli import app
from wortlaut.document import Document, Quotation, Span
from wortlaut.export import COLUMNS, export_quotations
from wortlaut.store import SearchFilters, open_store

AWKWARD = 'Er sagte: "Erstens; zweitens,\ndrittens" – und \'viertens\'\r\nDas ist alles; "wirklich".'


def awkward_doc(doc_id: str, qtype: str) -> Document:
    text = f'Die Ministerin; Dr. "Q" sagte: {AWKWARD}'
    quote = Span.of(text, text.index("Er sagte"), len(text))
    return Document(
        text=text,
        id=doc_id,
        title='Titel mit "Anführung", Komma; Semikolon\nund Umbruch',
        date="2024-02-03",
        source="Quelle; mit, allem",
        quotations=[
            Quotation(
                id="q1",
                type=qtype,
                quote=[quote],
                speaker=[Span.of(text, 0, 23)],
                cue=[Span.of(text, 24, 29)],
                addressee=[Span.of(text, 4, 14)],
                confidence=0.5,
            ),
        ],
    )


def fill(url: str) -> None:
    second = awkward_doc("a2", "Indirect")
    second.text += " Nachtrag."  # another article, not a duplicate of the first
    with open_store(url) as store:
        assert store.add_documents([awkward_doc("a1", "Direct"), second]).stored == 2


def test_csv_survives_line_breaks_quotes_and_semicolons(tmp_path):
    db = str(tmp_path / "x.sqlite")
    fill(db)
    out = tmp_path / "q.csv"
    result = CliRunner().invoke(app, ["export", "--format", "csv", "-o", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2
    assert list(rows[0]) == [name for name, _ in COLUMNS]
    for row in rows:
        assert row["quote"] == AWKWARD
        assert row["title"] == 'Titel mit "Anführung", Komma; Semikolon\nund Umbruch'
        assert row["source"] == "Quelle; mit, allem"
        assert row["speaker"] == 'Die Ministerin; Dr. "Q"'
        assert row["confidence"] == "0.5"


def test_same_filters_as_search(tmp_path):
    db = str(tmp_path / "x.sqlite")
    fill(db)
    with open_store(db) as store:
        buffer = io.StringIO()
        assert export_quotations(store, SearchFilters(type="Indirect"), "jsonl", None, buffer) == 1
        [row] = [json.loads(line) for line in buffer.getvalue().splitlines()]
        expected = awkward_doc("a2", "Indirect").quotations[0]
        assert row["article_id"] == "a2" and row["quote"] == AWKWARD
        assert (row["cue"], row["addressee"]) == (expected.cue[0].text, expected.addressee[0].text)


def test_parquet_has_typed_columns(tmp_path, postgres_url):
    fill(postgres_url)
    out = tmp_path / "q.parquet"
    result = CliRunner().invoke(app, ["export", "-f", "parquet", "-o", str(out), "--db", postgres_url, "rufen*"])
    assert result.exit_code == 0 and pq.read_table(out).num_rows == 0  # no match still writes a valid file
    result = CliRunner().invoke(app, ["export", "-f", "parquet", "-o", str(out), "--db", postgres_url, "drittens"])
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.num_rows == 2
    assert str(table.schema.field("start").type) == "int64"
    assert table.column("quote").to_pylist() == [AWKWARD, AWKWARD]


def test_parquet_needs_a_file(tmp_path):
    fill(str(tmp_path / "x.sqlite"))
    result = CliRunner().invoke(app, ["export", "-f", "parquet", "--db", str(tmp_path / "x.sqlite")])
    assert result.exit_code == 2 and "needs an output file" in result.output


def test_search_output_is_the_export_row(tmp_path):
    """`wortlaut search -f jsonl` and `wortlaut export -f jsonl` write the same row, cue and addressee included."""
    db = str(tmp_path / "x.sqlite")
    fill(db)
    searched = CliRunner().invoke(app, ["search", "-f", "jsonl", "--type", "Indirect", "--db", db])
    exported = CliRunner().invoke(app, ["export", "-f", "jsonl", "--type", "Indirect", "--db", db])
    assert searched.exit_code == exported.exit_code == 0, searched.output + exported.output
    [row] = [json.loads(line) for line in searched.stdout.splitlines()]
    assert row == json.loads(exported.stdout)
    assert (row["cue"], row["addressee"]) == ("sagte", "Ministerin")
