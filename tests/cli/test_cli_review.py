"""Review from the command line: accounts, corrections by ARTICLE#QUOTATION, speakers renamed, the review queue,
export with history and the reviewed articles as training data in the dataset's format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from wortlaut.cli import app
from wortlaut.document import Document, Entity, Quotation, Span
from wortlaut.store import open_store
from wortlaut.training.gold import read_gold

TEXT = "„Wir bleiben hart“, sagte Anna Berg am Montag. Das Kraftwerk fordere die Abschaltung, hieß es."


def span(words: str) -> Span:
    start = TEXT.index(words)
    return Span.of(TEXT, start, start + len(words))


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def stored(tmp_path: Path) -> str:
    db = str(tmp_path / "review.sqlite")
    berg = Entity("person:anna-berg", "Anna Berg", "person")
    doc = Document(
        text=TEXT,
        id="a1",
        title="Kraftwerk",
        date="2024-05-17",
        quotations=[
            Quotation(
                "q1",
                "Direct",
                quote=[span("Wir bleiben hart")],
                speaker=[span("Anna Berg")],
                cue=[span("sagte")],
                speaker_entity=berg,
                confidence=0.8,
            ),
            Quotation(
                "q2", "Indirect", quote=[span("die Abschaltung")], speaker=[span("Das Kraftwerk")], confidence=0.4
            ),
        ],
        entities=[berg],
    )
    with open_store(db) as store:
        store.add_documents([doc])
    assert run("users", "add", "maria", "--password-stdin", "--db", db, input="lange genug 123\n")[0] == 0
    return db


def test_accounts_from_the_command_line(tmp_path: Path) -> None:
    db = stored(tmp_path)
    code, _, err = run("users", "add", "x y", "--password-stdin", "--db", db, input="lange genug 123\n")
    assert code == 1 and "user name 'x y'" in err
    code, _, err = run("users", "add", "kurz", "--password-stdin", "--db", db, input="kurz\n")
    assert code == 1 and "password too short" in err
    assert [u["name"] for u in json.loads(run("users", "list", "-f", "json", "--db", db)[1])] == ["maria"]
    assert run("users", "remove", "maria", "--db", db)[0] == 0
    assert json.loads(run("users", "list", "-f", "json", "--db", db)[1]) == []


def test_review_commands_correct_and_the_queue_follows(tmp_path: Path) -> None:
    db = stored(tmp_path)
    assert run("review", "queue", "-f", "json", "--db", db)[2].startswith("0 of 2 reviewed; 0 corrected")
    assert run("review", "reject", "a1#q2", "--as", "maria", "--db", db)[0] == 0
    assert run("review", "set-type", "a1#q1", "Indirect", "--as", "maria", "--db", db)[0] == 0
    code, _, err = run("review", "confirm", "a1#q9", "--as", "maria", "--db", db)
    assert code == 1 and "a1#q9: no such quotation" in err
    code, _, err = run("review", "confirm", "a1#q1", "--as", "mallory", "--db", db)
    assert code == 1 and "no user 'mallory'" in err
    shown = json.loads(run("review", "show", "a1#q1", "--db", db)[1])
    assert (shown["type"], shown["review_state"]) == ("Indirect", "corrected")
    assert [h["action"] for h in shown["history"]] == ["set_type"]
    rows = json.loads(run("search", "--reviewed", "-f", "json", "--db", db)[1])
    assert [r["quote"] for r in rows] == ["Wir bleiben hart"]
    assert json.loads(run("search", "--unreviewed", "-f", "json", "--db", db)[1]) == []


def test_speakers_are_renamed_and_the_rename_undone(tmp_path: Path) -> None:
    db = stored(tmp_path)
    code, _, err = run("speakers", "rename", "person:anna-berg", "Dr. Anna Berg", "--as", "maria", "--db", db)
    assert code == 0
    number = err.split("correction ")[1].rstrip(")\n")
    assert json.loads(run("search", "-f", "json", "--db", db)[1])[1]["entity_name"] == "Dr. Anna Berg"
    assert run("review", "undo", number, "--as", "maria", "--db", db)[0] == 0
    assert json.loads(run("search", "-f", "json", "--db", db)[1])[1]["entity_name"] == "Anna Berg"


def test_export_with_history_and_reviewed_articles_as_training_data(tmp_path: Path) -> None:
    db = stored(tmp_path)
    run("review", "confirm", "a1#q1", "--as", "maria", "--db", db)
    assert run("corrections", "export", "-o", str(tmp_path / "none.jsonl"), "--db", db)[2].startswith("0 reviewed")
    run("review", "set-type", "a1#q2", "Reported", "--as", "maria", "--db", db)
    out = run("export", "--with-history", "--db", db)[1]
    history = {r["quote"]: json.loads(r["history"]) for r in csv.DictReader(io.StringIO(out))}
    assert [(h["action"], h["before"]["type"], h["after"]) for h in history["die Abschaltung"]] == [
        ("set_type", "Indirect", {"type": "Reported"})
    ]
    reviewed = tmp_path / "reviewed.jsonl"
    code, _, err = run("corrections", "export", "-o", str(reviewed), "--db", db)
    assert code == 0 and err.startswith("1 reviewed articles")
    [doc] = read_gold(reviewed)
    assert doc.id == "a1" and doc.date == "2024-05-17"
    assert [(q.type, q.quote_text, q.speaker_text) for q in doc.quotations] == [
        ("Direct", "Wir bleiben hart", "Anna Berg"),
        ("Reported", "die Abschaltung", "Das Kraftwerk"),
    ]


def test_reviewed_articles_train_the_model(tmp_path: Path, annotated_dir: Path) -> None:
    db = stored(tmp_path)
    run("review", "confirm", "a1#q1", "--as", "maria", "--db", db)
    run("review", "confirm", "a1#q2", "--as", "maria", "--db", db)
    reviewed = tmp_path / "reviewed.jsonl"
    assert run("corrections", "export", "-o", str(reviewed), "--db", db)[0] == 0
    args = [
        "train",
        "--data-dir",
        str(annotated_dir),
        "--output",
        str(tmp_path / "m"),
        "--cache-dir",
        str(tmp_path / "c"),
        "--iterations",
        "3",
        "--limit",
        "3",
        "--dev-limit",
        "1",
        "--extra",
        str(reviewed),
    ]
    code, _, err = run(*args)
    assert code == 0, err
    meta = json.loads((tmp_path / "m" / "model.json").read_text(encoding="utf-8"))
    assert [(e["file"], e["documents"]) for e in meta["extra_training"]] == [("reviewed.jsonl", 1)]
    assert run("train", "--data-dir", str(annotated_dir), "--extra", str(tmp_path / "nope.jsonl"))[2].startswith(
        f"error: {tmp_path / 'nope.jsonl'}: no such file"
    )
