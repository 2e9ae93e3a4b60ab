"""Entity names a reader can use: a proper name in its base form or the head of the description, never words
glued across a gap, a source noun, a date or number, or a headline fragment (issue 14)."""

from __future__ import annotations

import pytest
from test_resolve import analysed, entity_of

from wortlaut import nlp
from wortlaut.document import Document, Entity, Quotation, Span
from wortlaut.resolve import resolve_document
from wortlaut.resolve.lexicon import UNKNOWN_SOURCE
from wortlaut.resolve.mentions import find_mentions
from wortlaut.training.eval_speakers import (
    ProducedEntity,
    glued_across_gap,
    headline_fragment,
    name_violations,
    names_date_or_number,
    names_source_noun,
)


@pytest.mark.parametrize(
    "text, speaker, name",
    [
        ("Nach Angaben von Ärzten ist der Patient außer Lebensgefahr.", "Angaben von Ärzten", "Ärzte"),
        ("Nach Ansicht von Beobachtern wird die Wahl knapp.", "Ansicht von Beobachtern", "Beobachter"),
        ("Augenzeugen berichteten, das Feuer sei schnell gelöscht worden.", "Augenzeugen", "Augenzeugen"),
        ("Ein Augenarzt sagte, die Verletzung sei leicht.", "Ein Augenarzt", "ein Augenarzt"),
        ("US-Experten vor Ort halten den Damm für sicher.", "US-Experten vor Ort", "US-Experten"),
        (
            "Einer mit einem Megafon bewaffneten Frau zufolge ist der Protest friedlich.",
            "Einer mit einem Megafon bewaffneten Frau",
            "Frau",
        ),
    ],
)
def test_a_vague_source_is_named_by_the_head_of_its_description(text: str, speaker: str, name: str):
    assert entity_of(analysed(text, (speaker, 0)), 0).name == name


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("Berichten zufolge ist der Minister zurückgetreten.", "Berichten"),
        ("Ersten Erkenntnissen zufolge war die Brücke marode.", "Ersten Erkenntnissen"),
        ("Informationen vom späten Abend zufolge ist die Straße gesperrt.", "Informationen vom späten Abend"),
    ],
)
def test_a_source_noun_or_date_never_names_the_source(text: str, speaker: str):
    entity = entity_of(analysed(text, (speaker, 0)), 0)
    assert entity.name == UNKNOWN_SOURCE
    assert entity.kind == "anonymous"


def test_a_compound_source_noun_is_named_by_its_source():
    assert entity_of(analysed("Zeitungsberichten zufolge sinkt die Miete.", ("Zeitungsberichten", 0)), 0).name == (
        "Zeitung"
    )


def test_two_unknown_sources_of_one_article_stay_apart():
    doc = analysed(
        "Berichten zufolge brennt die Halle. Gerüchten zufolge war es Brandstiftung.",
        ("Berichten", 0),
        ("Gerüchten", 0),
    )
    assert entity_of(doc, 0).id != entity_of(doc, 1).id


def test_an_article_word_after_a_name_is_no_name_particle():
    doc = analysed(
        "Kanzlerin Angela Merkel lehnte den Vorschlag ab. Merkel den Vorschlag vorzulegen, sagte sie, sei falsch.",
        ("Kanzlerin Angela Merkel", 0),
    )
    assert entity_of(doc, 0).name == "Angela Merkel"


def test_von_der_stays_a_name_particle():
    doc = analysed("Kommissionschefin Ursula von der Leyen sagte, der Plan stehe.", ("Ursula von der Leyen", 0))
    assert entity_of(doc, 0).name == "Ursula von der Leyen"


def test_a_genitive_place_before_adjective_and_role_is_no_speaker():
    doc = analysed(
        "Kassels oberster Bürgermeister Hans Eichel sagte, die Stadt sei sicher.",
        ("Kassels oberster Bürgermeister Hans Eichel", 0),
    )
    assert entity_of(doc, 0).name == "Hans Eichel"


def test_an_institution_adjective_is_in_its_base_form():
    doc = analysed("Das norwegische Nobelkomitee erklärte, der Preis gehe an sie.", ("Das norwegische Nobelkomitee", 0))
    assert entity_of(doc, 0).name == "Norwegisches Nobelkomitee"


def headline_document(title: str, body: str, speaker: str) -> Document:
    """An article whose text opens with the headline glued to the first sentence, as in the dataset."""
    text = f"{title} {body}"
    start = text.index(speaker)
    doc = Document(text=text, id="h", title=title)
    doc.quotations.append(
        Quotation(id="q0", type="Direct", speaker=[Span.of(text, start, start + len(speaker))], quote=[])
    )
    return resolve_document(nlp.tokenize(doc))


def test_no_name_runs_across_the_end_of_the_headline():
    doc = headline_document(
        "Friedensmarsch überquert Rhein und Neckar",
        "Mannheim protestierte am Samstag. Mannheims oberster Bürgermeister Peter Kurz sagte, es sei gut.",
        "Mannheims oberster Bürgermeister Peter Kurz",
    )
    assert entity_of(doc, 0).name == "Peter Kurz"
    assert not any(e.name == "Neckar Mannheim" for e in doc.entities)


def test_glued_across_gap_finds_words_that_never_stand_together():
    doc = nlp.tokenize(Document(text="Nach Angaben von Ärzten und der Deutschen Bahn ist alles ruhig."))
    assert glued_across_gap("Angaben Ärzten", doc)
    assert not glued_across_gap("Deutsche Bahn", doc)
    assert not glued_across_gap("Ärzte", doc)


def test_source_noun_and_date_or_number_predicates():
    assert names_source_noun("Angaben Ärzten") and names_source_noun("Medienberichten")
    assert not names_source_noun("Augenzeugen") and not names_source_noun("Deutsche Bahn")
    assert names_date_or_number("Vergangene Woche") and names_date_or_number("Zwölf Todesopfer")
    assert names_date_or_number("Memorandum August 2002")
    assert not names_date_or_number("G8") and not names_date_or_number("ein Polizeisprecher")


def test_headline_fragment_is_a_title_name_while_the_body_names_the_speaker():
    text = "Streit um Neckar Mannheim Die Stadt feiert. Mannheims Bürgermeister Peter Kurz sagte, es sei gut."
    start = text.index("Mannheims")
    doc = nlp.tokenize(Document(text=text, id="h", title="Streit um Neckar"))
    q = Quotation(id="q0", type="Direct", speaker=[Span.of(text, start, start + 35)], quote=[])
    assert headline_fragment("Neckar Mannheim", doc, [q])
    assert not headline_fragment("Peter Kurz", doc, [q])
    produced = ProducedEntity(doc, Entity("person:x", "Neckar Mannheim", "person"), [q])
    assert "headline_fragment" in name_violations(produced)


@pytest.mark.parametrize(
    "text, speaker, name",
    [
        (
            "Aus Sicherheitskreisen hieß es, der Anschlag sei vereitelt worden.",
            "Aus Sicherheitskreisen",
            "Sicherheitskreise",
        ),
        ("Nach Angaben von Polizisten ist die Straße frei.", "Angaben von Polizisten", "Polizisten"),
        ("Nach Angaben von Frauen aus dem Dorf fehlt Wasser.", "Angaben von Frauen aus dem Dorf", "Frauen"),
    ],
)
def test_a_dative_plural_in_en_is_named_in_its_plural(text: str, speaker: str, name: str):
    assert entity_of(analysed(text, (speaker, 0)), 0).name == name


@pytest.mark.parametrize(
    "text, speaker, name",
    [
        (
            "Einem früheren leitenden Angestellten zufolge wurden Akten vernichtet.",
            "Einem früheren leitenden Angestellten",
            "früherer leitender Angestellter",
        ),
        ("Laut einer Angestellten war die Tür offen.", "einer Angestellten", "Angestellte"),
    ],
)
def test_an_adjectival_noun_after_an_oblique_article_is_named_in_the_nominative(text: str, speaker: str, name: str):
    assert entity_of(analysed(text, (speaker, 0)), 0).name == name


def test_an_acronym_before_an_analysis_is_what_was_analysed_not_the_source():
    entity = entity_of(
        analysed("Eine HIV-Analyse hat ergeben, dass der Spender gesund war.", ("Eine HIV-Analyse", 0)), 0
    )
    assert entity.name == UNKNOWN_SOURCE
    source = entity_of(analysed("NASA-Angaben zufolge startet die Rakete am Freitag.", ("NASA-Angaben", 0)), 0)
    assert source.name == "NASA"


def test_a_lone_family_name_joins_the_full_name_it_opens():
    doc = analysed("Der Sprecher Li Wei trat am Morgen vor die Presse. Li sagte, es gebe keine neuen Pläne.", ("Li", 1))
    assert entity_of(doc, 0).name == "Li Wei"


def test_a_quoted_name_after_an_institution_noun_names_it():
    text = "Der private Fernsehsender „Kanal 9“ berichtete, das Werk werde geschlossen."
    entity = entity_of(analysed(text, ("Der private Fernsehsender „Kanal 9“", 0)), 0)
    assert (entity.name, entity.kind) == ("Kanal 9", "medium")
    assert not names_date_or_number("Kanal 9")


def test_a_quoted_word_after_an_institution_that_is_no_type_noun_is_not_its_name():
    text = "Der Minister musste sich von der Opposition „Planlosigkeit“ vorwerfen lassen, sagte ein Beobachter."
    doc = nlp.tokenize(Document(text=text, id="o"))
    assert "Planlosigkeit" not in " ".join(m.name for m in find_mentions(doc))
