"""`train` end to end on a tiny annotated dataset of our own (conftest's `annotated_dir`): it writes a
loadable artifact, scores it, and is deterministic."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from wortlaut import nlp
from wortlaut.cli import app
from wortlaut.document import Document, Quotation, Span
from wortlaut.extract.features import quote_labels
from wortlaut.extract.model import ARTIFACT_FILES, QuotationModel, quote_groups
from wortlaut.nlp.lexicon_file import LEXICON_FILE
from wortlaut.training.train import QUOTE_GRID, ROLE_GRID, TrainConfig, load_corpus, train

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
