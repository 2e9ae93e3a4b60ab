"""CSV export and spreadsheets: formula-like cells are neutralised by default, `--raw` opts out, `--excel`
adds the byte order mark Excel needs to read UTF-8."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wortlaut.cli import app
from wortlaut.document import Document, Quotation, Span
from wortlaut.export import write_csv
from wortlaut.store import open_store

HEADLINE = "+++ Eilmeldung +++ Rathaus geräumt"
QUOTE = '=HYPERLINK("http://example.org";"Klick")'
TEXT = f"{HEADLINE}\n\nDer Sprecher sagte: {QUOTE}"
SPEAKER = TEXT.index("Der Sprecher")


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = str(tmp_path / "x.sqlite")
    quote = Span.of(TEXT, TEXT.index("=HYPER"), len(TEXT))
    doc = Document(
        text=TEXT,
        id="-eil",
        title=HEADLINE,
        source="@stadt",
        quotations=[
            Quotation(
                id="q1", type="Direct", quote=[quote], speaker=[Span.of(TEXT, SPEAKER, SPEAKER + len("Der Sprecher"))]
            )
        ],
    )
    with open_store(url) as store:
        assert store.add_documents([doc]).stored == 1
    return url


def export_csv(db: str, *flags: str) -> str:
    result = CliRunner().invoke(app, ["export", "--format", "csv", "--db", db, *flags])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_formula_cells_are_prefixed_with_an_apostrophe(db):
    [row] = csv.DictReader(io.StringIO(export_csv(db)))
    assert row["title"] == "'" + HEADLINE
    assert row["quote"] == "'" + QUOTE
    assert row["source"] == "'@stadt"
    assert row["article_id"] == "'-eil"
    assert row["speaker"] == "Der Sprecher" and row["type"] == "Direct"


def test_raw_writes_cells_as_they_are(db):
    [row] = csv.DictReader(io.StringIO(export_csv(db, "--raw")))
    assert (row["title"], row["quote"], row["source"], row["article_id"]) == (HEADLINE, QUOTE, "@stadt", "-eil")


def test_excel_starts_with_a_byte_order_mark(db, tmp_path):
    assert not export_csv(db).startswith("\ufeff")
    out = tmp_path / "q.csv"
    export_csv(db, "--excel", "-o", str(out))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfarticle_id,")
    [row] = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    assert row["title"] == "'" + HEADLINE


@pytest.mark.parametrize("cell", ["=1+1", "+49 30", "-3", "@SUM(A1)", "\tTab", "\rWagenrücklauf"])
def test_every_formula_start_is_neutralised(cell):
    out = io.StringIO()
    write_csv(out, iter([{"title": cell, "confidence": -0.5, "start": 0}]))
    [row] = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    assert row["title"] == "'" + cell
    assert row["confidence"] == "-0.5"  # numbers are not text a spreadsheet would run
