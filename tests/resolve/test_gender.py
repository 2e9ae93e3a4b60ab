"""Speaker gender from what the text states: role nouns, Frau/Herr, pronouns; unknown otherwise."""

from __future__ import annotations

import pytest

from wortlaut.resolve.gender import FEMALE, MALE, UNKNOWN, mention_gender, noun_gender, speaker_gender


@pytest.mark.parametrize(
    ("noun", "expected"),
    [
        ("Sprecherin", FEMALE),
        ("Sprecher", MALE),
        ("Ministerin", FEMALE),
        ("Bundesinnenministerin", FEMALE),
        ("Minister", MALE),
        ("Kanzlerin", FEMALE),
        ("Bundeskanzler", MALE),
        ("Präsidentin", FEMALE),
        ("Ärztin", FEMALE),
        ("Anwältin", FEMALE),
        ("Journalistin", FEMALE),
        ("Kandidatin", FEMALE),
        ("Biologin", FEMALE),
        ("Sprecherinnen", FEMALE),
        ("Polizei-Sprecherin", FEMALE),
        ("Kollegin", FEMALE),
        ("Geschäftsfrau", FEMALE),
        ("Regierungssprecher", MALE),
        ("Termin", None),
        ("Medizin", None),
        ("Berlin", None),
        ("Benjamin", None),
        ("Valentin", None),
        ("Vorsitzende", None),
        ("Gewerkschaft", None),
        ("Kevin", None),
    ],
)
def test_role_nouns_and_the_in_rule(noun: str, expected: str | None) -> None:
    assert noun_gender(noun) == expected


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        ("sie", FEMALE),
        ("Er", MALE),
        ("Frau Weber", FEMALE),
        ("herr mueller", MALE),
        ("die Ministerin", FEMALE),
        ("der neue Sprecher", MALE),
        ("die Minister", None),  # plural: the article does not agree with a masculine singular
        ("die Vorsitzende", None),
        ("Sprecher Tim Berg", None),  # without an article a capitalised word may be a surname (Richter, Koch)
        ("Richter", None),
        ("Benjamin Termin", None),
        ("Martina Berlin", None),
        ("es", None),
    ],
)
def test_mentions_state_gender_only_through_grammar(mention: str, expected: str | None) -> None:
    stated = mention_gender(mention)
    assert (stated[0] if stated else None) == expected


def test_descriptor_role_noun_is_evidence() -> None:
    gender = speaker_gender("person", ["role:Kanzlerin", "party:CDU"], ["angela merkel"], ["Merkel"])
    assert (gender.value, gender.evidence) == (FEMALE, "role noun Kanzlerin")


def test_first_names_are_never_evidence() -> None:
    assert speaker_gender("person", [], ["anna weber", "peter klein"], ["Anna Weber"]).value == UNKNOWN


def test_several_pieces_of_evidence_are_listed_once() -> None:
    gender = speaker_gender("person", ["role:Minister"], ["herr klein"], ["er", "er", "der Minister"])
    assert gender.value == MALE
    assert gender.evidence == "role noun Minister; herr klein; pronoun er; der Minister"


def test_conflicting_evidence_is_unknown() -> None:
    gender = speaker_gender("person", ["role:Sprecherin"], [], ["er"])
    assert gender.value == UNKNOWN
    assert gender.evidence.startswith("conflicting:")


def test_anonymous_voices_have_a_gender_organisations_do_not() -> None:
    assert speaker_gender("anonymous", ["role:Sprecherin"], [], []).value == FEMALE
    assert speaker_gender("organisation", ["role:Sprecherin"], [], ["sie"]).value == UNKNOWN
