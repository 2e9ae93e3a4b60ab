"""`wortlaut analyze` on the sample article: the table people read and the JSON contract programs read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wortlaut.cli import app

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "samples" / "000_38b19e2b774f7155.txt"
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
SPEAKERS = ("Macron", "Selenskyj", "Sacharowa", "Rutte")


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
    for name in SPEAKERS:
        assert name in result.stdout


def test_json_contract_fields_exactly(sample_json):
    assert len(sample_json) == 1
    doc = sample_json[0]
    assert set(doc) == DOCUMENT_KEYS
    assert doc["date"] == "2025-09-04"
    assert doc["quotations"]
    for q in doc["quotations"]:
        assert set(q) == QUOTATION_KEYS
        for part in ("quote", "speaker", "cue", "frame", "addressee"):
            for span in q[part]:
                assert set(span) == SPAN_KEYS
                assert doc["text"][span["start"] : span["end"]] == span["text"]


def test_sample_speakers_and_non_quotation(sample_json):
    doc = sample_json[0]
    speakers = " | ".join(" ".join(s["text"] for s in q["speaker"]) for q in doc["quotations"])
    for name in SPEAKERS:
        assert name in speakers
    quoted = [s["text"] for q in doc["quotations"] for s in q["quote"]]
    assert not any("nahm virtuell an der Konferenz teil" in text for text in quoted)


def test_sample_nested_spokesman_report(sample_json):
    """ "Ein Regierungssprecher sagte, Merz habe erklärt, dass …": two quotations, the inner one nested."""
    quotations = {q["id"]: q for q in sample_json[0]["quotations"]}
    inner = [q for q in quotations.values() if q["nested_in"] and q["speaker"] and q["speaker"][0]["text"] == "Merz"]
    assert inner
    outer = quotations[inner[0]["nested_in"]]
    assert "Regierungssprecher" in outer["speaker"][0]["text"]


def test_workers_give_the_same_output(runner: CliRunner, sample_json):
    result = runner.invoke(app, ["analyze", str(SAMPLE), "--format", "json", "--extractor", "rules", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == sample_json
