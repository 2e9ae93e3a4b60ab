"""The rule extractor on hand-written German sentences, one per quotation type and frame shape."""

from __future__ import annotations

import pytest

from wortlaut import nlp
from wortlaut.document import Document, Quotation
from wortlaut.extract import lexicon, rules


def quotations(text: str) -> list[Quotation]:
    return rules.extract(nlp.tokenize(Document(text=text))).quotations


def only(text: str) -> Quotation:
    found = [q for q in quotations(text) if q.nested_in is None]
    assert len(found) == 1, [(q.type, q.quote_text) for q in found]
    return found[0]


@pytest.mark.parametrize(
    "text, qtype, speaker, quote",
    [
        (
            "Der Rechnungshof monierte, dass die Kosten um 40 Prozent gestiegen seien.",
            "Indirect",
            "Der Rechnungshof",
            "dass die Kosten um 40 Prozent gestiegen seien",
        ),
        (
            "Die Ministerin räumte ein, dass Fehler gemacht worden seien.",
            "Indirect",
            "Die Ministerin",
            "dass Fehler gemacht worden seien",
        ),
        (
            "„Das war ein langer Tag“, seufzte der Trainer Paul Weber.",
            "Direct",
            "der Trainer Paul Weber",
            "„Das war ein langer Tag“",
        ),
        (
            "Die Ärztin sagte, die Lage auf den Stationen sei angespannt.",
            "Indirect",
            "Die Ärztin",
            "die Lage auf den Stationen sei angespannt",
        ),
        (
            "Die Brücke werde im Mai eröffnet, sagte der Bürgermeister.",
            "Indirect",
            "der Bürgermeister",
            "Die Brücke werde im Mai eröffnet",
        ),
        (
            "„Wir sanieren die Schulen im Herbst“, so Bürgermeisterin Jana Krüger.",
            "Direct",
            "Bürgermeisterin Jana Krüger",
            "„Wir sanieren die Schulen im Herbst“",
        ),
        (
            "Laut Polizei wurde bei dem Unfall niemand verletzt.",
            "Indirect",
            "Polizei",
            "wurde bei dem Unfall niemand verletzt",
        ),
        ("Der Täter ist den Ermittlern zufolge ins Ausland geflohen.", "Indirect", "den Ermittlern", None),
        (
            "Die Gewerkschaft kritisierte die geplanten Kürzungen bei der Bahn.",
            "Reported",
            "Die Gewerkschaft",
            "Die Gewerkschaft kritisierte die geplanten Kürzungen bei der Bahn.",
        ),
        ("Lehrerin Eva Kurz glaubt, dass die Reform scheitern werde.", "Indirect", "Lehrerin Eva Kurz", None),
    ],
)
def test_type_speaker_and_quote(text, qtype, speaker, quote):
    q = only(text)
    assert q.type == qtype
    assert q.speaker_text == speaker
    if quote is not None:
        assert q.quote_text == quote


def test_direct_frame_includes_colon_and_quote_marks():
    q = only("Die Ärztin sagte: „Wir haben zu wenig Personal auf den Stationen.“")
    assert (q.type, q.speaker_text, q.cue[0].text) == ("Direct", "Die Ärztin", "sagte")
    assert q.frame[0].text == "Die Ärztin sagte:"
    assert q.quote_text == "„Wir haben zu wenig Personal auf den Stationen.“"


@pytest.mark.parametrize(
    "quoted",
    [
        "„Ich trete nicht zurück“",
        "„Ich trete nicht zurück”",
        "»Ich trete nicht zurück«",
        "»Ich trete nicht zurück“",
        '"Ich trete nicht zurück"',
        "«Ich trete nicht zurück»",
    ],
)
def test_every_quote_style(quoted):
    q = only(f"{quoted}, erklärte der Vorsitzende Jonas Hartmann.")
    assert (q.type, q.speaker_text, q.quote_text) == ("Direct", "der Vorsitzende Jonas Hartmann", quoted)


def test_dash_attribution_after_quote():
    q = only("„Die Verhandlungen sind gescheitert.“ – Kommissarin Elena Vogt")
    assert (q.type, q.speaker_text) == ("Direct", "Kommissarin Elena Vogt")


def test_von_colon_before_quoted_paragraph():
    text = (
        "Von Tarifexpertin Maria Schulz:\n\n„Die Löhne steigen langsamer als die Preise. Das trifft kleine Betriebe.“"
    )
    q = only(text)
    assert (q.type, q.speaker_text) == ("Direct", "Tarifexpertin Maria Schulz")
    assert q.quote_text.startswith("„Die Löhne") and q.quote_text.endswith("Betriebe.“")


def test_quote_over_several_paragraphs():
    text = (
        "Der Trainer sagte: „Wir haben heute nicht gut gespielt. Die Mannschaft muss sich steigern.\n\n"
        "„Am Samstag wollen wir gewinnen. Das sind wir den Fans schuldig.“\n\nDanach ging er."
    )
    q = only(text)
    assert (q.type, q.speaker_text) == ("Direct", "Der Trainer")
    assert q.quote_text.startswith("„Wir haben") and q.quote_text.endswith("schuldig.“")


def test_apposition_is_part_of_the_speaker():
    q = only("Anna Berg, eine Ärztin aus Kiel, sagte, die Lage in den Kliniken sei angespannt.")
    assert q.speaker_text == "Anna Berg, eine Ärztin aus Kiel"
    assert q.frame[0].text == "Anna Berg, eine Ärztin aus Kiel, sagte,"


def test_konjunktiv_continuation_carries_the_speaker():
    found = quotations(
        "Der Bürgermeister sagte, die Brücke werde im Mai eröffnet. Die Kosten seien gering. Danach regnete es."
    )
    assert [(q.type, q.speaker_text) for q in found] == [
        ("Indirect", "Der Bürgermeister"),
        ("IndirectFreeIndirect", "Der Bürgermeister"),
    ]
    assert found[1].quote_text == "Die Kosten seien gering."


def test_reportative_sollen_is_free_indirect():
    found = quotations("Die Polizei sagte, der Mann sei geflohen. Er soll ein rotes Auto fahren.")
    assert [(q.type, q.speaker_text) for q in found][-1] == ("FreeIndirect", "Die Polizei")


def test_nested_indirect_quotations():
    found = quotations("Eine Sprecherin sagte, der Bürgermeister habe erklärt, dass die Bäder geöffnet blieben.")
    outer, inner = found
    assert (outer.speaker_text, inner.speaker_text) == ("Eine Sprecherin", "der Bürgermeister")
    assert inner.nested_in == outer.id and outer.nested_in is None


def test_quoted_words_inside_indirect_speech_are_nested_direct():
    found = quotations("Der Minister sagte, die Reform sei „längst überfällig“ gewesen.")
    assert [(q.type, q.speaker_text) for q in found] == [("Indirect", "Der Minister"), ("Direct", "Der Minister")]
    assert found[1].nested_in == found[0].id


def test_addressee_and_particle_cue():
    q = only("Die Stadt werde die Gebühren erhöhen, teilte ein Sprecher gegenüber Journalisten mit.")
    assert [c.text for c in q.cue] == ["teilte", "mit"]
    assert q.addressee[0].text == "Journalisten"
    assert q.medium == lexicon.CUE_LEMMAS["mitteilen"]


def test_plain_narration_is_no_quotation():
    assert quotations("Bundeskanzler Merz nahm virtuell an der Konferenz teil. Danach regnete es.") == []


def test_headline_colon_pattern():
    q = only('Moskau: Sicherheitsgarantien sind "Gefahr" für Europa')
    assert q.speaker_text == "Moskau"


def test_ids_in_text_order():
    found = quotations("Anna sagte, es regne. Ben sagte, es schneie. Carla sagte, es hagle.")
    assert [q.id for q in found] == ["q1", "q2", "q3"]
    assert [q.start for q in found] == sorted(q.start for q in found)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("„a“ und »b« und ‚c‘", ["„a“", "»b«", "‚c‘"]),
        ("„außen ‚innen‘ außen“", ["„außen ‚innen‘ außen“", "‚innen‘"]),
        ("„offen\n\nNeu ohne Zeichen", []),
        ("geht’s gut", []),
    ],
)
def test_quote_mark_pairing(text, expected):
    assert [text[s:e] for s, e in lexicon.pair_quote_marks(text)] == expected


def test_dative_addressee():
    q = only("Der Minister sagte dem Sender, die Steuern würden nicht erhöht.")
    assert (q.speaker_text, q.addressee[0].text) == ("Der Minister", "dem Sender")


def test_colon_at_paragraph_end_introduces_the_quoted_paragraph():
    q = only("Die Verbandschefin kritisierte den Plan scharf:\n\n„Das ist ein Angriff auf die Pflege.“")
    assert (q.type, q.speaker_text, q.frame[0].text) == (
        "Direct",
        "Die Verbandschefin",
        "Die Verbandschefin kritisierte den Plan scharf:",
    )
    assert q.quote_text == "„Das ist ein Angriff auf die Pflege.“"


def test_adverbial_clause_after_a_weak_cue_is_no_quotation():
    assert quotations("Der Stadtrat werde entscheiden, wenn die Kosten feststünden.") == []
