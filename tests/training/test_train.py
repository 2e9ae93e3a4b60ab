"""`train` end to end on a tiny annotated dataset of our own (conftest's `annotated_dir`): it writes a
loadable artifact, scores it, and is deterministic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wortlaut import nlp
from wortlaut.cli import app
from wortlaut.document import Document, Quotation, Span
from wortlaut.extract.features import quote_labels
from wortlaut.extract.model import ARTIFACT_FILES, META_FILE, QuotationModel, quote_groups
from wortlaut.nlp.lexicon_file import LEXICON_FILE
from wortlaut.training import train as train_module
from wortlaut.training.train import QUOTE_GRID, ROLE_GRID, TrainConfig, load_corpus, refit_calibration, train

TINY = TrainConfig(iterations=30, limit=12, dev_limit=3)


def test_train_writes_a_loadable_scored_artifact(tmp_path: Path, annotated_dir: Path) -> None:
    data = annotated_dir
    result = train(
        data / "train.jsonl", data / "dev.jsonl", tmp_path / "model", TINY, tmp_path / "cache", log=lambda _: None
    )
    assert sorted(path.name for path in (tmp_path / "model").iterdir()) == sorted([*ARTIFACT_FILES, LEXICON_FILE])
    assert result.dev is not None and result.dev.documents == 3
    text = "„Wir werden nicht nachgeben“, sagte die Ministerin am Montag in Berlin."
    doc = QuotationModel.load(tmp_path / "model")(nlp.tokenize(Document(text=text)))
    assert [(q.type, q.quote_text, q.speaker_text) for q in doc.quotations] == [
        ("Direct", "„Wir werden nicht nachgeben“", "die Ministerin")
    ]


def test_tuning_tries_every_grid_point_on_dev(tmp_path: Path, annotated_dir: Path) -> None:
    data = annotated_dir
    result = train(
        data / "train.jsonl",
        data / "dev.jsonl",
        tmp_path / "m",
        TINY,
        tmp_path / "cache",
        search=True,
        log=lambda _: None,
    )
    assert [t["stage"] for t in result.tuning] == ["quote_c"] * len(QUOTE_GRID) + ["role_c"] * len(ROLE_GRID)
    assert result.config.quote_c in QUOTE_GRID and result.config.role_c in ROLE_GRID


def test_same_seed_same_artifact(tmp_path: Path, annotated_dir: Path) -> None:
    for run in ("a", "b"):
        train(annotated_dir / "train.jsonl", None, tmp_path / run, TINY, tmp_path / "cache", log=lambda _: None)
    for name in ARTIFACT_FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_corpus_cache_gives_the_same_documents(tmp_path: Path, annotated_dir: Path) -> None:
    fresh = load_corpus(annotated_dir / "dev.jsonl", tmp_path, limit=2)
    assert len(list(tmp_path.glob("dev-*-2.json.gz"))) == 1
    cached = load_corpus(annotated_dir / "dev.jsonl", tmp_path, limit=2)
    assert [d.tokens for d in cached] == [d.tokens for d in fresh]
    assert [d.sentences for d in cached] == [d.sentences for d in fresh]
    assert [[q.quote for q in d.quotations] for d in cached] == [[q.quote for q in d.quotations] for d in fresh]


def test_train_command(tmp_path: Path, annotated_dir: Path) -> None:
    args = ["train", "--data-dir", str(annotated_dir), "--output", str(tmp_path / "m")]
    args += ["--cache-dir", str(tmp_path / "c"), "--iterations", "3", "--limit", "3", "--dev-limit", "1"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in (tmp_path / "m").iterdir()) == sorted([*ARTIFACT_FILES, LEXICON_FILE])


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


def test_calibration_only_refits_the_same_calibration_without_training_a_crf(
    tmp_path: Path, annotated_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model, cache = tmp_path / "model", tmp_path / "cache"
    train(annotated_dir / "train.jsonl", None, model, TINY, cache, log=lambda _: None)
    trained = {name: (model / name).read_bytes() for name in ARTIFACT_FILES}
    (model / META_FILE).write_text(
        json.dumps({**json.loads(trained[META_FILE]), "calibration": None}, indent=1), encoding="utf-8"
    )

    def no_crf_training(*_: object) -> None:
        raise AssertionError("the fold taggers should come from the cache")

    monkeypatch.setattr(train_module, "fit_taggers", no_crf_training)
    refit_calibration(annotated_dir / "train.jsonl", model, cache, log=lambda _: None)
    assert {name: (model / name).read_bytes() for name in ARTIFACT_FILES} == trained


def test_calibration_only_without_the_fold_cache_trains_the_fold_taggers_alike(
    tmp_path: Path, annotated_dir: Path
) -> None:
    model = tmp_path / "model"
    train(annotated_dir / "train.jsonl", None, model, TINY, tmp_path / "cache", log=lambda _: None)
    trained = (model / META_FILE).read_bytes()
    refit_calibration(annotated_dir / "train.jsonl", model, tmp_path / "other-cache", log=lambda _: None)
    assert (model / META_FILE).read_bytes() == trained
    assert len(list((tmp_path / "other-cache" / "folds").glob("*/fold*"))) == TINY.calibration_folds


def test_train_command_calibration_only(tmp_path: Path, annotated_dir: Path) -> None:
    model, cache = tmp_path / "m", tmp_path / "c"
    train(annotated_dir / "train.jsonl", None, model, TINY, cache, log=lambda _: None)
    args = ["train", "--data-dir", str(annotated_dir), "--cache-dir", str(cache), "--calibration-only", str(model)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "attribution by confidence threshold" in result.output
    extra = tmp_path / "extra.jsonl"
    extra.write_bytes((annotated_dir / "dev.jsonl").read_bytes())
    result = CliRunner().invoke(app, [*args, "--extra", str(extra)])
    assert result.exit_code == 2 and "trained with --extra none; pass the same files" in result.output
    missing = CliRunner().invoke(app, [*args[:-1], str(tmp_path / "nothing")])
    assert missing.exit_code == 2 and "model artifact missing" in missing.output
