"""Corrections applied on top of the machine's output, and reviewer passwords."""

from __future__ import annotations

import pytest

from wortlaut.document import Document, Entity, Quotation, Span
from wortlaut.review import (
    CONFIRMED,
    CORRECTED,
    REJECTED,
    UNREVIEWED,
    AccountError,
    Anchor,
    Correction,
    CorrectionError,
    apply_corrections,
    hash_password,
    verify_password,
)

TEXT = "„Wir bleiben hart“, sagte Anna Berg. Das Kraftwerk fordere die Abschaltung, hieß es. „This Is It“ lief."


def span(words: str) -> Span:
    start = TEXT.index(words)
    return Span.of(TEXT, start, start + len(words))


def machine() -> Document:
    """What a model might have found: a right Direct quotation, a wrong speaker, a song title."""
    return Document(
        text=TEXT,
        id="a1",
        quotations=[
            Quotation("q1", "Direct", quote=[span("Wir bleiben hart")], speaker=[span("Anna Berg")], confidence=0.9),
            Quotation("q2", "Indirect", quote=[span("die Abschaltung")], speaker=[span("Das Kraftwerk")]),
            Quotation("q3", "Direct", quote=[span("This Is It")], confidence=0.3),
        ],
    )


def at(words: str) -> Anchor:
    s = span(words)
    return Anchor(s.start, s.end)


def offsets(words: str) -> list[int]:
    s = span(words)
    return [s.start, s.end]


def test_no_corrections_leave_the_machine_output_unreviewed() -> None:
    reviewed = apply_corrections(machine(), [])
    assert [q.id for q in reviewed.doc.quotations] == ["q1", "q2", "q3"]
    assert set(reviewed.states.values()) == {UNREVIEWED} and reviewed.conflicts == []


def test_confirm_reject_and_set_speaker() -> None:
    log = [
        Correction("a1", at("Wir bleiben hart"), "confirm"),
        Correction("a1", at("This Is It"), "reject"),
        Correction(
            "a1",
            at("die Abschaltung"),
            "set_speaker",
            after={"speaker": [], "entity": {"id": "greenpeace", "name": "Greenpeace", "kind": "organisation"}},
        ),
    ]
    original = machine()
    reviewed = apply_corrections(original, log)
    assert [q.id for q in reviewed.doc.quotations] == ["q1", "q2"]
    assert [q.id for q in reviewed.rejected] == ["q3"]
    assert reviewed.states == {"q1": CONFIRMED, "q2": CORRECTED, "q3": REJECTED}
    q2 = reviewed.doc.quotations[1]
    assert q2.speaker == [] and q2.speaker_entity == Entity("greenpeace", "Greenpeace", "organisation")
    assert original.quotations[1].speaker == [span("Das Kraftwerk")], "the machine output is not changed"


def test_a_quotation_the_model_missed_is_added_in_reading_order() -> None:
    after = {"type": "Reported", "medium": "Speech", "quote": [offsets("Abschaltung, hieß es")]}
    reviewed = apply_corrections(machine(), [Correction("a1", at("Abschaltung, hieß es"), "add", after=after)])
    assert [q.quote_text for q in reviewed.doc.quotations] == [
        "Wir bleiben hart",
        "die Abschaltung",
        "Abschaltung, hieß es",
        "This Is It",
    ]
    added = reviewed.doc.quotations[2]
    assert added.type == "Reported" and reviewed.states[added.id] == CORRECTED and added.confidence == 1.0


def test_moved_boundaries_and_later_corrections_still_find_the_quotation() -> None:
    log = [
        Correction("a1", at("die Abschaltung"), "set_spans", after={"quote": [offsets("fordere die Abschaltung")]}),
        Correction("a1", at("die Abschaltung"), "set_type", after={"type": "Reported"}),
    ]
    [q] = [q for q in apply_corrections(machine(), log).doc.quotations if q.id == "q2"]
    assert q.quote_text == "fordere die Abschaltung" and q.type == "Reported"


def test_a_new_analysis_keeps_corrections_by_overlap_and_reports_the_lost_ones() -> None:
    log = [
        Correction("a1", at("Wir bleiben hart"), "confirm"),
        Correction("a1", at("This Is It"), "set_type", after={"type": "Indirect"}),
    ]
    new = machine()
    new.quotations[0].quote = [span("„Wir bleiben hart“")]  # the new model takes the marks too
    del new.quotations[2]  # and no longer finds the song title
    reviewed = apply_corrections(new, log)
    assert reviewed.states["q1"] == CONFIRMED
    assert [c.action for c in reviewed.conflicts] == ["set_type"]


def test_corrections_that_cannot_be_made_are_refused() -> None:
    with pytest.raises(CorrectionError, match="type 'Quote'"):
        apply_corrections(machine(), [Correction("a1", at("This Is It"), "set_type", after={"type": "Quote"})])
    with pytest.raises(CorrectionError, match="outside the article"):
        bad = {"speaker": [[0, len(TEXT) + 5]]}
        apply_corrections(machine(), [Correction("a1", at("This Is It"), "set_speaker", after=bad)])
    with pytest.raises(CorrectionError, match="unknown correction"):
        apply_corrections(machine(), [Correction("a1", at("This Is It"), "delete_everything")])


def test_passwords_are_salted_scrypt_hashes() -> None:
    first, second = hash_password("correct horse battery"), hash_password("correct horse battery")
    assert first.startswith("scrypt$32768$8$1$") and first != second
    assert verify_password("correct horse battery", first)
    assert not verify_password("correct horse batterz", first)
    assert not verify_password("anything", "sha1$abc")
    with pytest.raises(AccountError, match="too short"):
        hash_password("kurz")


def test_an_undone_correction_no_longer_applies_and_an_undone_undo_does_again() -> None:
    reject = Correction("a1", at("This Is It"), "reject", id=1)
    undo = Correction("a1", at("This Is It"), "undo", after={"correction": 1}, id=2)
    redo = Correction("a1", at("This Is It"), "undo", after={"correction": 2}, id=3)
    assert apply_corrections(machine(), [reject, undo]).states["q3"] == UNREVIEWED
    assert apply_corrections(machine(), [reject, undo, redo]).states["q3"] == REJECTED
