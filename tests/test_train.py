"""`train` end to end on a tiny slice of the corpus: it writes a loadable artifact, scores it, and is deterministic."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from wortlaut import nlp
from wortlaut.cli import app
from wortlaut.document import Document, Quotation, Span
from wortlaut.extract.features import quote_labels
from wortlaut.extract.model import ARTIFACT_FILES, QuotationModel, quote_groups
from wortlaut.training.train import QUOTE_GRID, ROLE_GRID, TrainConfig, load_corpus, train

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "quotations-de"
TINY = TrainConfig(iterations=5, limit=4, dev_limit=2)

needs_data = pytest.mark.skipif(not (DATA / "train.jsonl").is_file(), reason="dataset not available")


@needs_data
def test_train_writes_a_loadable_scored_artifact(tmp_path: Path) -> None:
    result = train(
        DATA / "train.jsonl", DATA / "dev.jsonl", tmp_path / "model", TINY, tmp_path / "cache", log=lambda _: None
    )
    assert all((tmp_path / "model" / name).is_file() for name in ARTIFACT_FILES)
    assert result.dev is not None and result.dev.documents == 2
    doc = QuotationModel.load(tmp_path / "model")(nlp.tokenize(Document(text="Sie sagte, es regne.")))
    assert all(q.type and q.quote for q in doc.quotations)


@needs_data
def test_tuning_tries_every_grid_point_on_dev(tmp_path: Path) -> None:
    result = train(
        DATA / "train.jsonl",
        DATA / "dev.jsonl",
        tmp_path / "m",
        TINY,
        tmp_path / "cache",
        search=True,
        log=lambda _: None,
    )
    assert [t["stage"] for t in result.tuning] == ["quote_c"] * len(QUOTE_GRID) + ["role_c"] * len(ROLE_GRID)
    assert result.config.quote_c in QUOTE_GRID and result.config.role_c in ROLE_GRID


@needs_data
def test_same_seed_same_artifact(tmp_path: Path) -> None:
    for run in ("a", "b"):
        train(DATA / "train.jsonl", None, tmp_path / run, TINY, tmp_path / "cache", log=lambda _: None)
    for name in ARTIFACT_FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


@needs_data
def test_corpus_cache_gives_the_same_documents(tmp_path: Path) -> None:
    fresh = load_corpus(DATA / "dev.jsonl", tmp_path, limit=1)
    assert list(tmp_path.glob("dev-*-1.json.gz"))
    cached = load_corpus(DATA / "dev.jsonl", tmp_path, limit=1)
    assert cached[0].tokens == fresh[0].tokens and cached[0].sentences == fresh[0].sentences
    assert [q.quote for q in cached[0].quotations] == [q.quote for q in fresh[0].quotations]


@needs_data
def test_train_command(tmp_path: Path) -> None:
    args = ["train", "--data-dir", str(DATA), "--output", str(tmp_path / "m"), "--cache-dir", str(tmp_path / "c")]
    result = CliRunner().invoke(app, [*args, "--iterations", "3", "--limit", "3", "--dev-limit", "1"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "m" / "quotes.crfsuite").is_file()


def test_train_command_names_a_missing_data_dir(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["train", "--data-dir", str(tmp_path), "--output", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "train.jsonl" in result.output


def test_gold_spans_become_labels_and_labels_become_the_same_quotations() -> None:
    """B starts a quotation, I continues it, C resumes it after an interruption („…“, sagte sie, „…“)."""
    text = "„Gut“, sagte sie, „sehr gut.“ Er schwieg."
    doc = nlp.tokenize(Document(text=text))
    quote = [Span.of(text, 0, 5), Span.of(text, 18, 29)]
    labels = quote_labels(doc, [Quotation(id="q1", type="Direct", quote=quote)])
    assert list(zip([t.text for t in doc.tokens], labels)) == [
        ("„", "B-Direct"),
        ("Gut", "I-Direct"),
        ("“", "I-Direct"),
        (",", "O"),
        ("sagte", "O"),
        ("sie", "O"),
        (",", "O"),
        ("„", "C-Direct"),
        ("sehr", "I-Direct"),
        ("gut", "I-Direct"),
        (".", "I-Direct"),
        ("“", "I-Direct"),
        ("Er", "O"),
        ("schwieg", "O"),
        (".", "O"),
    ]
    assert quote_groups(labels) == [("Direct", [[0, 1, 2], [7, 8, 9, 10, 11]])]
