"""`wortlaut analyze` on an example article (examples/05_wohnungsstudie.txt): the table people read and the JSON
contract programs read."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from wortlaut import settings
from wortlaut.cli import app

SAMPLE = settings.EXAMPLES_DIR / "05_wohnungsstudie.txt"
DOCUMENT_KEYS = {"id", "title", "date", "url", "text", "quotations"}
QUOTATION_KEYS = {
    "id",
    "type",
    "medium",
    "quote",
    "speaker",
    "cue",
    "frame",
    "addressee",
    "speaker_entity",
    "nested_in",
    "confidence",
}
SPAN_KEYS = {"start", "end", "text"}
#: Every quotation the rules find in the example, as (type, speaker, quote, nested in): checked by reading.
FOUND = [
    (
        "Indirect",
        "einer neuen Studie",
        "In Deutschland fehlen … vor allem in den Großstädten Hunderttausende bezahlbare Wohnungen",
        None,
    ),
    (
        "Indirect",
        "der Untersuchung",
        "geben Haushalte mit geringem Einkommen in jeder dritten Großstadt mehr als 40 Prozent ihres "
        "Nettoeinkommens für die Kaltmiete aus",
        None,
    ),
    (
        "Direct",
        "Studienleiterin Prof. Claudia Neumann",
        "„Die Lage hat sich seit 2020 in fast allen untersuchten Städten verschärft“",
        None,
    ),
    (
        "IndirectFreeIndirect",
        "Studienleiterin Prof. Claudia Neumann",
        "Der Neubau reiche bei weitem nicht aus, um den Bedarf zu decken.",
        None,
    ),
    ("Indirect", "Das Institut", "den sozialen Wohnungsbau deutlich auszuweiten", None),
    ("Indirect", "", "Zudem sollten Kommunen leer stehende Büroflächen schneller in Wohnraum umwandeln dürfen", None),
    ("Direct", "Bauministerin Julia Hartmann", "„ernüchternd, aber nicht überraschend“", None),
    ("Indirect", "sie", "Die Regierung habe die Mittel für den sozialen Wohnungsbau bereits verdoppelt", None),
    ("IndirectFreeIndirect", "sie", "Es dauere jedoch, bis neue Wohnungen bezugsfertig seien.", None),
    (
        "Indirect",
        "Ein Sprecher",
        "Verbandspräsident Klaus Becker habe schon im Frühjahr gewarnt, die Förderprogramme kämen zu spät",
        None,
    ),
    ("Indirect", "Verbandspräsident Klaus Becker", "die Förderprogramme kämen zu spät", "q10"),
    ("Direct", "der Sprecher", "„Jetzt haben wir es schwarz auf weiß“", None),
    (
        "Reported",
        "Der Verband der Wohnungswirtschaft",
        "Der Verband der Wohnungswirtschaft verwies dagegen auf gestiegene Baukosten und hohe Zinsen.",
        None,
    ),
    ("Indirect", "der Verband", "Unter diesen Bedingungen könne kaum jemand Wohnungen zu niedrigen Mieten bauen", None),
]
#: The speaker column of the table: the words in the text, and the resolved person where they differ.
SPEAKER_CELLS = [
    "einer neuen Studie (unbekannte Quelle)",
    "der Untersuchung (Institut)",
    "Studienleiterin Prof. Claudia Neumann",
    "sie (Julia Hartmann)",
    "Verbandspräsident Klaus Becker",
    "Der Verband der Wohnungswirtschaft",
]


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "220"})


@pytest.fixture(scope="module")
def sample_json(runner: CliRunner) -> list[dict]:
    result = runner.invoke(app, ["analyze", str(SAMPLE), "--format", "json", "--extractor", "rules"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_table_lists_the_speakers(runner: CliRunner):
    result = runner.invoke(app, ["analyze", str(SAMPLE), "--extractor", "rules"])
    assert result.exit_code == 0, result.output
    for cell in SPEAKER_CELLS:
        assert cell in result.stdout


def test_json_contract_fields_exactly(sample_json):
    assert len(sample_json) == 1
    doc = sample_json[0]
    assert set(doc) == DOCUMENT_KEYS
    assert (doc["id"], doc["title"], doc["date"], doc["url"]) == (
        "05_wohnungsstudie",
        "Studie: In jeder dritten Großstadt fehlen bezahlbare Wohnungen",
        "2025-10-21",
        None,
    )
    assert len(doc["quotations"]) == len(FOUND)
    for q in doc["quotations"]:
        assert set(q) == QUOTATION_KEYS
        for part in ("quote", "speaker", "cue", "frame", "addressee"):
            for span in q[part]:
                assert set(span) == SPAN_KEYS
                assert doc["text"][span["start"] : span["end"]] == span["text"]


def test_sample_quotations_exactly(sample_json):
    """Every quotation, with the sentences that report without quoting (the study's method) left out."""
    found = [
        (
            q["type"],
            " ".join(s["text"] for s in q["speaker"]),
            " … ".join(s["text"] for s in q["quote"]),
            q["nested_in"],
        )
        for q in sample_json[0]["quotations"]
    ]
    assert found == FOUND


def test_sample_nested_spokesman_report(sample_json):
    """ "Ein Sprecher sagte, Verbandspräsident Klaus Becker habe … gewarnt, …": two quotations, the inner one nested."""
    quotations = {q["id"]: q for q in sample_json[0]["quotations"]}
    inner = quotations["q11"]
    assert inner["nested_in"] == "q10" and inner["speaker_entity"]["name"] == "Klaus Becker"
    assert [s["text"] for s in inner["cue"]] == ["gewarnt"]
    assert [s["text"] for s in quotations["q10"]["speaker"]] == ["Ein Sprecher"]


def test_workers_give_the_same_output(runner: CliRunner, sample_json):
    result = runner.invoke(app, ["analyze", str(SAMPLE), "--format", "json", "--extractor", "rules", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == sample_json
