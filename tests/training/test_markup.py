"""The inline markup of hand-annotated articles: spans land on the right characters, bad markup is refused
with one line naming the file and line while the other articles still come, and the repository's football
articles load as valid dataset records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wortlaut import nlp
from wortlaut.bench.domain_shift import DOMAIN_DIR
from wortlaut.document import Document, Quotation
from wortlaut.training.gold import dataset_record, read_gold
from wortlaut.training.markup import dataset_records, read_articles

GOOD = """\
# a comment
=== t1 | Sieg im Derby | 2025-08-17
@1 Direct Speech
@2 IndirectFreeIndirect Speech
@3 Indirect Speech
{q1 „Wir haben gewonnen.“}{f1 , {c1 sagte} {s1,s2 Trainer Jens Haberland}}. {q2 Das Team sei stark.}

{f3 {s3 Sie} {c3 räumte} {a3 dem Sender} {c3 ein},} {q3 das Glück habe geholfen}.
"""


def parse(tmp_path: Path, markup: str) -> tuple[list[Document], list[str]]:
    path = tmp_path / "articles.txt"
    path.write_text(markup, encoding="utf-8")
    errors: list[str] = []
    return list(read_articles(path, errors.append)), errors


def parts(doc: Document, n: int) -> dict[str, list[str]]:
    quotation = doc.quotations[n]
    return {p: [doc.text[s.start : s.end] for s in quotation.part(p)] for p in ("quote", "speaker", "cue", "frame")}


def test_marks_become_spans_on_the_plain_text(tmp_path: Path) -> None:
    (doc,), errors = parse(tmp_path, GOOD)
    assert errors == []
    assert (doc.id, doc.title, doc.date) == ("t1", "Sieg im Derby", "2025-08-17")
    assert doc.text == (
        "„Wir haben gewonnen.“, sagte Trainer Jens Haberland. Das Team sei stark.\n\n"
        "Sie räumte dem Sender ein, das Glück habe geholfen."
    )
    assert [(q.id, q.type, q.medium) for q in doc.quotations] == [
        ("q1", "Direct", "Speech"),
        ("q2", "IndirectFreeIndirect", "Speech"),
        ("q3", "Indirect", "Speech"),
    ]
    assert parts(doc, 0) == {
        "quote": ["„Wir haben gewonnen.“"],
        "speaker": ["Trainer Jens Haberland"],
        "cue": ["sagte"],
        "frame": [", sagte Trainer Jens Haberland"],
    }
    assert parts(doc, 1)["speaker"] == ["Trainer Jens Haberland"]
    assert parts(doc, 2)["cue"] == ["räumte", "ein"]
    assert [s.text for s in doc.quotations[2].addressee] == ["dem Sender"]
    assert doc.quotations[2].quote[0].start == doc.text.index("das Glück")


def test_a_nested_quotation_names_its_outer_one(tmp_path: Path) -> None:
    markup = "=== t2 | Zitat | 2025-01-01\n@1 Direct Speech\n@2 Direct Speech in 1\n{q1 „Er rief {q2 ‚Tor!‘} laut.“}\n"
    (doc,), _ = parse(tmp_path, markup)
    assert doc.quotations[1].nested_in == "q1" and doc.quotations[1].quote[0].text == "‚Tor!‘"
    outer, inner = dataset_record(nlp.tokenize(doc))["annotations"]
    assert (outer["hasNested"], inner["isNested"]) == (True, True)


@pytest.mark.parametrize(
    ("bad", "line", "says"),
    [
        ("@1 Direct Speech\n{q1 „Ja.“", 4, "never closed"),
        ("@1 Direct Speech\n{q1 „Ja.“}}", 4, "closes no mark"),
        ("@1 Direct Speech\n{x1 „Ja.“}", 4, "needs labels"),
        ("@1 Direct Speech\n{q1 „Ja.“} {s2 Er}", 4, "quotation 2 is marked but never declared"),
        ("@1 Quote Speech\n{q1 „Ja.“}", 3, "unknown quotation type 'Quote'"),
        ("@1 Direct Loud\n{q1 „Ja.“}", 3, "unknown medium 'Loud'"),
        ("@1 Direct Speech\n{s1 Er} sagte Ja.", 3, "quotation 1 has no quote"),
        ("@1 Direct\n{q1 „Ja.“}", 3, "expected '@N TYPE MEDIUM'"),
    ],
)
def test_bad_markup_is_one_line_naming_file_and_line_and_the_rest_still_comes(
    tmp_path: Path, bad: str, line: int, says: str
) -> None:
    docs, errors = parse(tmp_path, f"# bad first\n=== bad | Kaputt | 2025-01-01\n{bad}\n{GOOD}")
    assert [doc.id for doc in docs] == ["t1"]
    (error,) = errors
    assert error.startswith(f"{tmp_path / 'articles.txt'}:{line}: ") and says in error and "\n" not in error


def test_text_before_the_first_header_is_refused(tmp_path: Path) -> None:
    docs, errors = parse(tmp_path, "Ein Satz ohne Artikel.\n" + GOOD)
    assert [doc.id for doc in docs] == ["t1"]
    assert errors == [f"{tmp_path / 'articles.txt'}:1: expected '=== ID | TITLE | DATE', got 'Ein Satz ohne Artikel.'"]


@pytest.mark.parametrize(("stem", "articles"), [("fussball", 40), ("formate", 10)])
def test_the_football_articles_are_valid_dataset_records(tmp_path: Path, stem: str, articles: int) -> None:
    path = DOMAIN_DIR / f"{stem}.txt"
    errors: list[str] = []
    records = list(dataset_records(path, errors.append))
    assert errors == []
    data = tmp_path / "football.jsonl"
    data.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    marked = list(read_articles(path, errors.append))
    gold = list(read_gold(data))
    assert len(gold) == len(marked) == len({doc.id for doc in gold}) == articles
    for read, written in zip(gold, marked, strict=True):
        assert (read.id, read.text) == (written.id, written.text)
        assert [without_id(q) for q in read.quotations] == [without_id(q) for q in written.quotations]


def without_id(quotation: Quotation) -> dict[str, object]:
    """A record numbers its quotations from 0 and the markup from 1; everything else must agree."""
    return {key: value for key, value in quotation.to_json().items() if key != "id"}
