"""The shipped learned extractor on hand-written German sentences (not from the training data), one per shape."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from wortlaut import nlp
from wortlaut.document import Document, Quotation
from wortlaut.extract.model import ARTIFACT_FILES, QuotationModel, model_extractor, with_whole_marks
from wortlaut.extract.scorer import QuotationScorer, TreeEnsemble, is_real
from wortlaut.pipeline import load_pipeline

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def model() -> QuotationModel:
    return QuotationModel.load()


def quotations(model: QuotationModel, text: str) -> list[Quotation]:
    return model(nlp.tokenize(Document(text=text))).quotations


def last_top_level(found: list[Quotation]) -> Quotation:
    top = [q for q in found if q.nested_in is None]
    assert top, "no quotation found"
    return top[-1]


@pytest.mark.parametrize(
    "text, qtype, speaker, quote",
    [
        (  # attribution after the quote with "so"
            "„Wir werden die Schule im Herbst wieder öffnen“, so Bürgermeisterin Katrin Hollmann.",
            "Direct",
            "Katrin Hollmann",
            "„Wir werden die Schule im Herbst wieder öffnen“",
        ),
        (  # attribution after a dash
            "„Das Wasser steigt weiter, die Deiche halten aber“ – Kommissarin Lea Brandt.",
            "Direct",
            "Kommissarin Lea Brandt",
            "„Das Wasser steigt weiter, die Deiche halten aber“",
        ),
        (  # guillemets
            "»Die Zahlen sind ermutigend«, sagte der Virologe Jonas Keller am Dienstag in Hamburg.",
            "Direct",
            "Jonas Keller",
            "»Die Zahlen sind ermutigend«",
        ),
        (  # rare cue verbs
            "Der Rechnungshof monierte, dass die Baukosten um ein Drittel gestiegen seien.",
            "Indirect",
            "Der Rechnungshof",
            "dass die Baukosten um ein Drittel gestiegen seien",
        ),
        (
            "Der Trainer seufzte, die Mannschaft habe am Ende einfach keine Kraft mehr gehabt.",
            "Indirect",
            "Der Trainer",
            "die Mannschaft habe am Ende einfach keine Kraft mehr gehabt",
        ),
        (  # separable cue verb
            "Die Ministerin räumte ein, dass bei der Planung der Brücke Fehler gemacht worden seien.",
            "Indirect",
            "Die Ministerin",
            "dass bei der Planung der Brücke Fehler gemacht worden seien",
        ),
        (  # apposition between speaker and cue
            "Anna Berg, eine Ärztin aus Kiel, sagte, die Wartezeiten in den Praxen seien viel zu lang.",
            "Indirect",
            "Anna Berg",
            "die Wartezeiten in den Praxen seien viel zu lang",
        ),
        (
            "Die Gewerkschaft Verdi forderte am Montag höhere Löhne für die Beschäftigten in der Pflege.",
            "Reported",
            "Die Gewerkschaft Verdi",
            "höhere Löhne für die Beschäftigten in der Pflege",
        ),
    ],
)
def test_type_speaker_and_quote(model: QuotationModel, text: str, qtype: str, speaker: str, quote: str) -> None:
    q = last_top_level(quotations(model, text))
    assert q.type == qtype
    assert speaker in q.speaker_text
    assert quote in q.quote_text


def test_quoted_paragraph_after_colon_takes_speaker_before_it(model: QuotationModel) -> None:
    text = (
        "Von Landrat Peter Jansen hieß es am Abend:\n\n„Wir haben alles getan, was in unserer Macht stand. "
        "Niemand konnte mit einem solchen Sturm rechnen.“"
    )
    q = last_top_level(quotations(model, text))
    assert q.type == "Direct" and "Peter Jansen" in q.speaker_text
    assert q.quote_text.startswith("„Wir haben") and q.quote_text.endswith("rechnen.“")


def test_quotation_over_several_paragraphs_is_one(model: QuotationModel) -> None:
    text = (
        "Die Pfarrerin Marie Lenz sagte am Sonntag:\n\n„Wir stehen vor einer schweren Zeit, das wissen alle.\n\n"
        "„Doch unsere Gemeinde hat schon ganz andere Krisen überstanden.“"
    )
    q = last_top_level(quotations(model, text))
    assert q.type == "Direct" and "Marie Lenz" in q.speaker_text
    assert "schweren Zeit" in q.quote_text and "Krisen überstanden" in q.quote_text


def test_reportative_sollen_is_free_indirect_with_the_source_before_it(model: QuotationModel) -> None:
    text = (
        "Die Polizei sucht weiter nach dem Täter. Er soll mit einem dunklen Wagen in Richtung Autobahn geflohen sein."
    )
    q = last_top_level(quotations(model, text))
    assert (q.type, q.speaker_text) == ("FreeIndirect", "Die Polizei")
    assert q.quote_text == "Er soll mit einem dunklen Wagen in Richtung Autobahn geflohen sein."


def test_konjunktiv_continuation_carries_the_speaker_it_continues(model: QuotationModel) -> None:
    text = "Der Bürgermeister sagte, die Hauptstraße werde ab Mai gesperrt. Die Umleitung sei bereits ausgeschildert."
    first, second = [q for q in quotations(model, text) if q.nested_in is None]
    assert (first.type, second.type) == ("Indirect", "IndirectFreeIndirect")
    assert first.speaker_text == second.speaker_text == "Der Bürgermeister"
    assert second.quote_text == "Die Umleitung sei bereits ausgeschildert."


def test_quoted_words_inside_an_indirect_quotation_are_nested(model: QuotationModel) -> None:
    found = quotations(model, "Der Senator sagte, die Reform sei „ein historischer Schritt“ für die ganze Stadt.")
    outer = last_top_level(found)
    inner = [q for q in found if q.nested_in == outer.id]
    assert outer.type == "Indirect" and len(inner) == 1
    assert inner[0].type == "Direct" and inner[0].quote_text == "„ein historischer Schritt“"
    assert inner[0].speaker_text == outer.speaker_text == "Der Senator"


def test_text_without_quotations_gives_none(model: QuotationModel) -> None:
    assert quotations(model, "Am Morgen regnete es in Bremen. Der Zug fuhr pünktlich ab.") == []


def test_confidence_is_a_probability(model: QuotationModel) -> None:
    q = last_top_level(quotations(model, "„Wir sind sehr zufrieden“, sagte die Trainerin Eva Roth."))
    assert 0.0 < q.confidence <= 1.0


def test_missing_artifact_raises_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"quotes\.crfsuite"):
        model_extractor(tmp_path)


def test_pipeline_uses_the_model_by_default() -> None:
    assert load_pipeline().names[1] == "model"


def test_model_loads_from_a_fresh_clone(tmp_path: Path) -> None:
    """The artifact is committed: a clone of the repository (committed files only) can load it."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--depth", "1", f"file://{REPO}", str(clone)], check=True)
    assert all((clone / "wortlaut" / "models" / name).is_file() for name in ARTIFACT_FILES)
    code = (
        "from wortlaut.extract.model import MODEL_DIR, QuotationModel; "
        f"assert str(MODEL_DIR).startswith({str(clone)!r}), MODEL_DIR; QuotationModel.load()"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONPATH": str(clone)}, cwd=tmp_path)


def test_scorer_drops_the_candidates_its_training_marked_unreal() -> None:
    rows = [[float(x), 1.0] for x in range(40)]
    scorer = QuotationScorer.fit(rows, [x >= 20 for x in range(40)], threshold=0.5, seed=1)
    assert scorer.keep([[3.0, 1.0], [35.0, 1.0]]) == [False, True]


def test_scorer_trained_on_one_kind_of_candidate_keeps_every_candidate(tmp_path: Path) -> None:
    scorer = QuotationScorer.fit([[1.0], [2.0]], [True, True], threshold=0.5, seed=1)
    scorer.save(tmp_path / "scorer.npz")
    assert QuotationScorer.load(tmp_path / "scorer.npz", 0.5).keep([[0.0], [9.0]]) == [True, True]


def test_exported_trees_give_scikit_learns_probabilities_after_a_round_trip(tmp_path: Path) -> None:
    from sklearn.ensemble import GradientBoostingClassifier

    rng = np.random.default_rng(3)
    rows = rng.normal(size=(600, 5))
    labels = rows[:, 0] + rows[:, 1] * rows[:, 2] + rng.normal(scale=0.5, size=600) > 0
    model = GradientBoostingClassifier(n_estimators=40, max_leaf_nodes=15, random_state=1).fit(rows, labels)
    TreeEnsemble.from_sklearn(model).save(tmp_path / "trees.npz")
    unseen = rng.normal(size=(300, 5))
    expected = model.predict_proba(unseen)[:, 1]
    assert np.allclose(TreeEnsemble.load(tmp_path / "trees.npz").probability(unseen.tolist()), expected, atol=1e-12)
    # no write time inside: the same model always gives the same bytes (`train` is byte-reproducible)
    assert {entry.date_time for entry in zipfile.ZipFile(tmp_path / "trees.npz").infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_a_candidate_is_real_when_half_its_tokens_lie_in_one_gold_quotation() -> None:
    text = "Sie sagte, sie komme morgen nicht mehr zurück."
    doc = nlp.tokenize(Document(text=text))
    gold = [Quotation(id="g", type="Indirect", quote=[doc.span(text.index("sie komme"), len(text) - 1)])]
    half = Quotation(id="a", type="Indirect", quote=[doc.span(text.index("sagte"), len(text) - 1)])
    frame = Quotation(id="b", type="Indirect", quote=[doc.span(0, text.index(" sie komme"))])
    assert is_real(doc, half, gold) and not is_real(doc, frame, gold)


def test_a_speaker_that_opens_a_quote_mark_takes_the_closing_one_next_to_it() -> None:
    text = 'Die Stadt kauft laut "Tagesblatt" neue Busse.'
    doc = nlp.tokenize(Document(text=text))
    opening = next(t.i for t in doc.tokens if t.text == '"')
    assert [doc.tokens[i].text for i in with_whole_marks(doc, [opening, opening + 1])] == ['"', "Tagesblatt", '"']
    assert with_whole_marks(doc, [opening + 1]) == [opening + 1]
