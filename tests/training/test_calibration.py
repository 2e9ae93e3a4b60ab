"""Confidence calibration and the measures that check it; the official scorer behind `eval --official`."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest
from test_evaluate import TEXT, gold_doc, spans, tokenized
from typer.testing import CliRunner

from wortlaut import nlp
from wortlaut.cli import app
from wortlaut.document import Document, Quotation
from wortlaut.extract import model as model_module
from wortlaut.extract.calibration import Calibration, calibration_features, speaker_features
from wortlaut.extract.model import QuotationModel, finished
from wortlaut.training.evaluate import (
    Counts,
    attribution_by_threshold,
    evaluate,
    expected_calibration_error,
    quotation_right,
    reliability,
    threshold_for_precision,
    token_sets,
)
from wortlaut.training.spkatt import parse_scores


def test_reliability_bins_and_ece_have_the_hand_worked_values() -> None:
    confidences = [0.05, 0.15, 0.15, 0.95, 0.95, 0.95, 1.0]
    right = [False, True, False, True, True, True, False]
    table = reliability(confidences, right)
    assert [b.count for b in table] == [1, 2, 0, 0, 0, 0, 0, 0, 0, 4]  # 1.0 falls into the last bin
    last = table[-1]
    assert math.isclose(last.mean_confidence, 0.9625) and last.accuracy == 0.75
    assert table[1].accuracy == 0.5 and table[2].mean_confidence == 0.0
    # (1·|0.05−0| + 2·|0.15−0.5| + 4·|0.9625−0.75|) / 7
    assert math.isclose(expected_calibration_error(table), (0.05 + 0.7 + 0.85) / 7)


def test_attribution_curve_counts_only_confident_predictions_that_name_a_speaker() -> None:
    # (confidence, right, names a speaker)
    confidence = [(0.95, True, True), (0.9, True, True), (0.6, False, True), (0.4, True, True), (0.99, False, False)]
    curve = dict(attribution_by_threshold(confidence, gold_with_speaker=5, thresholds=(0.0, 0.5, 0.95)))
    assert (curve[0.0].tp, curve[0.0].pred, curve[0.0].gold) == (3, 4, 5)
    assert (curve[0.5].tp, curve[0.5].pred) == (2, 3)
    assert (curve[0.95].tp, curve[0.95].pred) == (1, 1)
    found = threshold_for_precision(sorted(curve.items()), target=0.9)
    assert found is not None and found[0] == 0.95 and found[1].recall == 0.2
    assert threshold_for_precision([(0.5, Counts(1, 2, 2))], target=0.9) is None


def test_a_quotation_is_right_when_paired_and_its_speaker_overlaps_the_gold_one() -> None:
    gold = gold_doc()
    good = Quotation(id="p1", type="Indirect", quote=spans(TEXT, "sie komme"), speaker=spans(TEXT, "Anna"))
    wrong_speaker = Quotation(id="p2", type="Indirect", quote=spans(TEXT, "sie komme"), speaker=spans(TEXT, "Ben"))
    unpaired = Quotation(id="p3", type="Reported", quote=spans(TEXT, "Ben lachte"), speaker=spans(TEXT, "Ben"))
    tokens_of = token_sets(gold)
    assert quotation_right(tokens_of, gold.quotations, [good, unpaired]) == [True, False]
    assert quotation_right(tokens_of, gold.quotations, [wrong_speaker]) == [False]
    speakerless_gold = [Quotation(id="g", type="Reported", quote=spans(TEXT, "Ben lachte laut"))]
    speakerless = Quotation(id="p4", type="Reported", quote=spans(TEXT, "lachte laut"))
    assert quotation_right(tokens_of, speakerless_gold, [speakerless]) == [True]


def test_the_report_carries_each_prediction_s_confidence_and_whether_it_is_right() -> None:
    gold = gold_doc()
    pred = tokenized(TEXT)
    pred.quotations = [
        Quotation(
            id="p1", type="Indirect", quote=spans(TEXT, "sie komme"), speaker=spans(TEXT, "Anna"), confidence=0.8
        ),
        Quotation(
            id="p2", type="Reported", quote=spans(TEXT, "Ben lachte"), speaker=spans(TEXT, "Ben"), confidence=0.3
        ),
    ]
    report = evaluate([gold], [pred])
    assert report.confidence == [(0.8, True, True), (0.3, False, True)]
    figures = report.to_json()["confidence"]
    assert figures["ece"] == round((0.2 + 0.3) / 2, 4)
    assert figures["threshold_precision_0.90"]["threshold"] == 0.35


ROW = [0.0] * 45
SPEECH = "Die Ministerin Anna Berg sagte, sie komme morgen. Er meinte, das reiche nicht."


def speech_quotation(speaker: str) -> Quotation:
    return Quotation(id="q0", type="Indirect", quote=spans(SPEECH, "sie komme morgen"), speaker=spans(SPEECH, speaker))


#: speaker_features of a named speaker right before its quote.
FINAL = speaker_features(nlp.tokenize(Document(text=SPEECH)), speech_quotation("Anna Berg"), spans(SPEECH, "Anna Berg"))


def test_speaker_features_tell_a_name_from_a_pronoun_and_a_description_and_see_a_changed_speaker() -> None:
    doc = nlp.tokenize(Document(text=SPEECH))
    pronoun, description = speech_quotation("Er"), speech_quotation("Die Ministerin")
    tagged = spans(SPEECH, "Anna Berg")
    has_speaker, named, pronoun_only, described = FINAL[:4]
    assert (has_speaker, named, pronoun_only, described) == (1.0, 1.0, 0.0, 0.0)
    assert speaker_features(doc, pronoun, tagged)[1:4] == [0.0, 1.0, 0.0]
    assert speaker_features(doc, description, tagged)[1:4] == [0.0, 0.0, 1.0]
    changed = 8
    assert FINAL[changed] == 0.0 and speaker_features(doc, description, tagged)[changed] == 1.0
    speakerless = Quotation(id="q1", type="Reported", quote=spans(SPEECH, "meinte, das reiche nicht"))
    assert speaker_features(doc, speakerless, [])[0] == 0.0


def fitted_calibration() -> Calibration:
    """Fitted on synthetic inputs where a higher scorer probability and speaker marginal mean more often right."""
    features, right = [], []
    for k in range(200):
        real, speaker = (k % 20 + 0.5) / 20, (k % 7 + 0.5) / 7
        features.append(calibration_features(ROW, real, speaker, FINAL))
        right.append((k * 37 % 100) / 100 < 0.5 * real + 0.5 * speaker)
    return Calibration.fit(features, right)


def assert_rises_with_scorer_probability_and_speaker_marginal(
    calibration: Calibration, row: list[float], final: list[float]
) -> None:
    by_real = [calibration.confidence(calibration_features(row, p / 10, 0.5, final), raw=0.5) for p in range(1, 10)]
    by_speaker = [calibration.confidence(calibration_features(row, 0.5, s / 10, final), raw=0.5) for s in range(0, 11)]
    assert by_real == sorted(by_real) and by_real[0] < by_real[-1]
    assert by_speaker == sorted(by_speaker) and by_speaker[0] < by_speaker[-1]
    assert all(0.0 < c < 1.0 for c in by_real + by_speaker)


def test_calibration_is_monotone_in_the_scorer_probability_and_the_speaker_marginal() -> None:
    assert_rises_with_scorer_probability_and_speaker_marginal(fitted_calibration(), ROW, FINAL)


def test_calibration_round_trips_as_plain_numbers_and_none_keeps_the_raw_confidence() -> None:
    calibration = fitted_calibration()
    restored = Calibration.from_json(calibration.to_json())
    assert restored == calibration and all(isinstance(w, float) for w in restored.weights or [])
    assert Calibration.from_json(None).confidence(calibration_features(ROW, 0.9, 0.9, FINAL), raw=0.42) == 0.42


def test_a_calibration_of_other_features_names_the_command_that_refits_it() -> None:
    with pytest.raises(ValueError, match=r"2 weights for 3 features.*--calibration-only"):
        Calibration([1.0, 1.0], 0.0).confidence([0.1, 0.2, 0.3], raw=0.5)


@pytest.fixture(scope="module")
def model() -> QuotationModel:
    return QuotationModel.load()


def test_the_model_calibrates_every_quotation_it_returns_after_the_post_processing(model: QuotationModel) -> None:
    text = "Der Minister sagte, die Regierung werde die „kalte Progression“ abschaffen. Das Wetter war schön."
    doc = nlp.tokenize(Document(text=text))
    candidates, rows, speaker = model.candidates(doc)
    real = model.scorer.probability(rows)
    quotations, inputs = finished(doc, candidates, rows, real, speaker, model.scorer.threshold)
    expected = [model.calibration.confidence(features, q.confidence) for q, features in zip(quotations, inputs)]
    found = model(nlp.tokenize(Document(text=text))).quotations
    assert any(q.nested_in for q in found), "the example should hold a nested quotation"
    assert len(expected) == len(found) and [q.confidence for q in found] == pytest.approx(expected)


def test_a_quotation_the_post_processing_makes_on_its_own_takes_the_inputs_of_the_candidate_it_overlaps(
    model: QuotationModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "Die Ministerin sagte am Montag, das Gesetz komme noch in diesem Jahr."
    doc = nlp.tokenize(Document(text=text))
    candidates, rows, speaker = model.candidates(doc)
    real = model.scorer.probability(rows)

    def with_a_split_off_copy(doc: Document, quotations: list[Quotation]) -> list[Quotation]:
        return [*quotations, dataclasses.replace(quotations[0], id="new", quote=quotations[0].quote[-1:])]

    monkeypatch.setattr(model_module, "cleaned", with_a_split_off_copy)
    quotations, inputs = finished(doc, candidates, rows, real, speaker, model.scorer.threshold)
    assert quotations[-1].id == "new" and inputs[-1][: len(rows[0]) + 2] == inputs[0][: len(rows[0]) + 2]


def test_official_flag_names_the_missing_scorer_directory(tmp_path: Path, annotated_dir: Path) -> None:
    missing = tmp_path / "no-scorer"
    gold = str(annotated_dir / "dev.jsonl")
    result = CliRunner().invoke(app, ["eval", gold, "--official", "--scorer-dir", str(missing)])
    assert result.exit_code == 2
    assert "official SpkAtt scorer not found" in result.output and str(missing / "run.py") in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_official_scores_are_read_from_the_scorer_s_summary() -> None:
    output = "Messages(F1): 0.5\nMessages(P):  0.6\nMessages(R):  0.4285\n\nJoint(F1): 0.41\nOther(F1): 1\n"
    assert parse_scores(output) == {"Messages": {"f1": 0.5, "p": 0.6, "r": 0.4285}, "Joint": {"f1": 0.41}}


def test_the_shipped_calibration_rises_with_scorer_probability_and_speaker_marginal(model: QuotationModel) -> None:
    text = "Die Ministerin sagte am Montag, das Gesetz komme noch in diesem Jahr."
    doc = nlp.tokenize(Document(text=text))
    candidates, rows, speaker = model.candidates(doc)
    _, inputs = finished(doc, candidates, rows, model.scorer.probability(rows), speaker, model.scorer.threshold)
    assert model.calibration.weights is not None, "the shipped model.json holds no calibration"
    row, final = inputs[0][: len(rows[0])], inputs[0][len(rows[0]) + 2 :]
    assert_rises_with_scorer_probability_and_speaker_marginal(model.calibration, row, final)
