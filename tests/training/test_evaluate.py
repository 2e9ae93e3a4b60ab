"""The scorer on tiny hand-made gold documents whose figures can be worked out by hand; the eval and bench commands."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from wortlaut.document import Document, Quotation, Span, Token
from wortlaut.training.evaluate import evaluate

TEXT = "Anna sagte, sie komme morgen. Ben lachte laut."


def tokenized(text: str) -> Document:
    doc = Document(text=text, id="t1")
    doc.tokens = [
        Token(i=n, start=m.start(), end=m.end(), text=m.group(), sent=0)
        for n, m in enumerate(re.finditer(r"\w+|[^\w\s]", text))
    ]
    return doc


def test_token_ids_are_the_tokens_a_span_overlaps_and_follow_a_replaced_token_list() -> None:
    doc = tokenized(TEXT)
    # "gte, s" overlaps the ends of "sagte" and "sie" and all of ","; a span between two tokens overlaps none
    start = TEXT.index("gte")
    assert doc.token_ids([Span.of(TEXT, start, start + 6)]) == [1, 2, 3]
    assert doc.token_ids([Span.of(TEXT, 4, 5)]) == []
    assert doc.token_ids([Span.of(TEXT, 0, 4), Span.of(TEXT, 0, 2)]) == [0]
    doc.tokens = [*doc.tokens[:1], Token(i=1, start=5, end=len(TEXT), text=TEXT[5:], sent=0)]
    assert doc.token_ids([Span.of(TEXT, len(TEXT) - 2, len(TEXT))]) == [1]


def spans(text: str, *pieces: str) -> list[Span]:
    out = []
    for piece in pieces:
        start = text.index(piece)
        out.append(Span.of(text, start, start + len(piece)))
    return out


def gold_doc() -> Document:
    doc = tokenized(TEXT)
    doc.quotations = [
        Quotation(
            id="q1",
            type="Indirect",
            medium="Speech",
            quote=spans(TEXT, "sie komme morgen"),
            speaker=spans(TEXT, "Anna"),
            cue=spans(TEXT, "sagte"),
            frame=spans(TEXT, "Anna sagte,"),
        )
    ]
    return doc


def test_perfect_prediction_scores_one():
    gold = gold_doc()
    report = evaluate([gold], [copy.deepcopy(gold)])
    for name in ("quote", "speaker", "cue", "frame", "roles", "joint"):
        assert report.parts[name].f1 == 1.0, name
    assert report.attribution.f1 == 1.0
    assert report.type_accuracy == 1.0
    assert report.medium_accuracy == 1.0
    assert report.per_type["Indirect"].f1 == 1.0


def test_empty_prediction_has_zero_recall():
    gold = gold_doc()
    report = evaluate([gold], [Document(text=TEXT, id="t1")])
    assert report.parts["quote"].recall == 0.0
    assert report.parts["joint"].gold == 8
    assert report.attribution.recall == 0.0
    assert report.quotations.gold == 1 and report.quotations.tp == 0
    assert report.paired == 0 and report.type_accuracy == 0.0


def test_partial_prediction_exact_figures():
    gold = gold_doc()
    pred = Document(text=TEXT, id="t1")
    pred.quotations = [
        Quotation(
            id="q1",
            type="Direct",
            medium="Speech",
            quote=spans(TEXT, "komme morgen."),
            speaker=spans(TEXT, "Ben"),
            cue=spans(TEXT, "sagte"),
        ),
        Quotation(id="q2", type="Direct", medium="Speech", quote=spans(TEXT, "Ben lachte")),
    ]
    report = evaluate([gold], [pred])
    quote = report.parts["quote"]
    assert (quote.tp, quote.pred, quote.gold) == (2, 5, 3)
    assert quote.precision == pytest.approx(0.4)
    assert quote.recall == pytest.approx(2 / 3)
    assert quote.f1 == pytest.approx(0.5)
    roles = report.parts["roles"]
    assert (roles.tp, roles.pred, roles.gold) == (1, 2, 5)
    joint = report.parts["joint"]
    assert (joint.tp, joint.pred, joint.gold) == (3, 7, 8)
    assert (report.attribution.tp, report.attribution.pred, report.attribution.gold) == (0, 1, 1)
    assert (report.quotations.tp, report.quotations.pred, report.quotations.gold) == (1, 2, 1)
    assert report.type_accuracy == 0.0
    assert report.medium_accuracy == 1.0
    assert report.per_type["Indirect"].recall == 0.0
    assert (report.per_type["Direct"].tp, report.per_type["Direct"].pred) == (0, 5)


def test_pairing_is_one_to_one_and_optimal():
    """Two predictions over one gold quote: only the better-overlapping one is paired."""
    gold = gold_doc()
    pred = Document(text=TEXT, id="t1")
    pred.quotations = [
        Quotation(id="q1", type="Indirect", quote=spans(TEXT, "sie")),
        Quotation(id="q2", type="Indirect", quote=spans(TEXT, "komme morgen")),
    ]
    report = evaluate([gold], [pred])
    assert report.paired == 1
    assert report.parts["quote"].tp == 2


def test_json_and_table_render():
    from rich.console import Console

    gold = gold_doc()
    report = evaluate([gold], [copy.deepcopy(gold)])
    data = report.to_json()
    assert data["parts"]["joint"]["f1"] == 1.0
    assert set(data) >= {"parts", "attribution", "type_accuracy", "medium_accuracy", "per_type_quote"}
    console = Console(record=True, width=120)
    console.print(report.table())
    assert "attribution" in console.export_text()


def test_mismatched_text_is_rejected():
    with pytest.raises(ValueError, match="differs"):
        evaluate([gold_doc()], [Document(text="anders", id="t1")])


def figures(part: dict[str, float]) -> tuple[float, float, float]:
    return part["tp"], part["pred"], part["gold"]


def test_eval_command_scores_the_rules_on_annotated_jsonl(annotated_dir: Path) -> None:
    """The first three of conftest's annotated articles: the rules find all 4 quotations; they quote the
    quotation marks and full stop too (quote 25 tokens for 22), give the free indirect sentence the
    mayor as speaker (attribution 3 of 4) and call "Laut Polizei" speech-or-writing (medium 3 of 4)."""
    import json

    from typer.testing import CliRunner

    from wortlaut.cli import app

    gold = annotated_dir / "dev.jsonl"
    result = CliRunner().invoke(app, ["eval", str(gold), "--extractor", "rules", "--limit", "3", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["documents"] == 3
    assert figures(report["quotations"]) == (4, 4, 4)
    assert figures(report["parts"]["quote"]) == (22, 25, 22)
    assert figures(report["parts"]["speaker"]) == (5, 7, 5)
    assert figures(report["parts"]["cue"]) == (3, 3, 3)
    assert figures(report["parts"]["joint"]) == (35, 49, 35)
    assert report["parts"]["joint"]["f1"] == 0.8333
    assert figures(report["attribution"]) == (3, 4, 3)
    assert (report["type_accuracy"], report["medium_accuracy"]) == (1.0, 0.75)


def test_bench_sections_are_selectable(annotated_dir: Path) -> None:
    from wortlaut.bench import SECTIONS, BenchConfig, run

    gold = annotated_dir / "dev.jsonl"
    assert {"startup", "analyze"} <= set(SECTIONS)
    results = run(BenchConfig(gold=gold, extractor="rules", limit=2), only=["analyze"])
    assert list(results) == ["analyze"]
    # two articles of 19 and 18 tokens; the direct quotation, and the indirect with its free indirect sequel
    assert {key: results["analyze"][key] for key in ("articles", "tokens", "quotations")} == {
        "articles": 2,
        "tokens": 37,
        "quotations": 3,
    }
    with pytest.raises(KeyError, match="unknown bench section"):
        run(BenchConfig(gold=gold), only=["nope"])
