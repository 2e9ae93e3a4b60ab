"""Speaker resolution on hand-written German sentences: pronouns, descriptions, kinds, cross-article merging."""

from __future__ import annotations

import pytest

from wortlaut import nlp
from wortlaut.document import Document, Entity, Quotation, Span
from wortlaut.registry import resolvers
from wortlaut.resolve import canonical_entity, entity_id, normalize_alias, resolve_document


def analysed(text: str, *speakers: tuple[str, int], doc_id: str = "t") -> Document:
    """A tokenised document with one quotation per (speaker text, occurrence) pair, resolved."""
    doc = Document(text=text, id=doc_id)
    for n, (speaker, occurrence) in enumerate(speakers):
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(speaker, start + 1)
        quote_start = text.index(",", start) + 2 if "," in text[start:] else start
        doc.quotations.append(
            Quotation(
                id=f"q{n}",
                type="Indirect",
                speaker=[Span.of(text, start, start + len(speaker))],
                quote=[Span.of(text, quote_start, min(len(text), quote_start + 10))],
            )
        )
    return resolve_document(nlp.tokenize(doc))


def entity_of(doc: Document, n: int) -> Entity:
    entity = doc.quotations[n].speaker_entity
    assert entity is not None
    return entity


def test_pronoun_resolves_to_the_named_spokeswoman_and_keeps_her_role():
    doc = analysed(
        "Die russische Außenamtssprecherin Sacharowa äußerte sich am Montag zu dem Plan. "
        "Sie sagte, er sei inakzeptabel.",
        ("Sie", 0),
    )
    entity = entity_of(doc, 0)
    assert entity.name == "Sacharowa"
    assert entity.kind == "person"
    assert "role:Außenamtssprecherin" in entity.descriptors
    assert "country:Russland" in entity.descriptors


def test_masculine_pronoun_skips_the_woman_named_last():
    doc = analysed(
        "Innenminister Klaus Berger traf sich mit der Bürgermeisterin Anna Schmitt. Er sagte, die Lage sei ernst.",
        ("Er", 0),
    )
    assert entity_of(doc, 0).name == "Klaus Berger"


def test_definite_description_and_surname_join_the_full_name():
    doc = analysed(
        "Der ukrainische Präsident Wolodymyr Selenskyj reiste am Dienstag nach Berlin. "
        "Dort traf er Vertreter der Industrie. "
        "Der ukrainische Präsident sagte, die Hilfe komme zur rechten Zeit. "
        "Selenskyj erklärte später, er sei dankbar.",
        ("Der ukrainische Präsident", 1),
        ("Selenskyj", 1),
    )
    first, second = entity_of(doc, 0), entity_of(doc, 1)
    assert first.id == second.id == "person:wolodymyr-selenskyj"
    assert "country:Ukraine" in first.descriptors


def test_compound_role_keeps_organisation_and_role_as_descriptors():
    doc = analysed(
        "NATO-Generalsekretär Mark Rutte sagte, das Bündnis stehe zusammen.", ("NATO-Generalsekretär Mark Rutte", 0)
    )
    entity = entity_of(doc, 0)
    assert entity.name == "Mark Rutte"
    assert {"role:Generalsekretär", "org:NATO"} <= set(entity.descriptors)


@pytest.mark.parametrize(
    ("text", "speaker", "kind", "name"),
    [
        (
            "Wie das Magazin Spiegel berichtet, soll der Vertrag bald unterzeichnet werden.",
            "das Magazin Spiegel",
            "medium",
            "Spiegel",
        ),
        (
            "Die Bundesregierung erklärte, sie halte an dem Vorhaben fest.",
            "Die Bundesregierung",
            "state",
            "Bundesregierung",
        ),
        ("Moskau erklärte, die Vorwürfe seien haltlos.", "Moskau", "state", "Russland"),
        ("Ein Regierungssprecher sagte, man prüfe den Vorschlag.", "Ein Regierungssprecher", "state", "Regierung"),
        ("Die Polizei in Köln teilte mit, es gebe keine Verletzten.", "Die Polizei", "organisation", "Polizei"),
    ],
)
def test_kinds_of_speakers(text: str, speaker: str, kind: str, name: str):
    entity = entity_of(analysed(text, (speaker, 0)), 0)
    assert (entity.kind, entity.name) == (kind, name)


def test_vague_source_is_anonymous_and_scoped_to_its_article():
    doc = analysed("In Regierungskreisen hieß es, eine Einigung sei nahe.", ("Regierungskreisen", 0), doc_id="a1")
    entity = entity_of(doc, 0)
    assert entity.kind == "anonymous"
    assert entity.id.startswith("anonymous:a1:")


def test_den_angaben_zufolge_points_back_to_the_source_named_before():
    doc = analysed(
        "Die Feuerwehr teilte am Abend mit, der Brand sei gelöscht. Den Angaben zufolge wurde niemand verletzt.",
        ("Die Feuerwehr", 0),
        ("Den Angaben", 0),
    )
    assert entity_of(doc, 1).id == entity_of(doc, 0).id
    assert entity_of(doc, 0).name == "Feuerwehr"


def test_institution_noun_joins_the_named_ministry_before_it():
    doc = analysed(
        "Das isländische Fischereiministerium hat die Fangquote erhöht. "
        "Die Quote sei tragfähig, teilte das Ministerium mit.",
        ("das Ministerium", 0),
    )
    entity = entity_of(doc, 0)
    assert (entity.kind, entity.name) == ("state", "Isländisches Fischereiministerium")
    assert "country:Island" in entity.descriptors


def test_supporters_of_a_politician_are_not_the_politician():
    doc = analysed(
        "Jean-Luc Mélenchon trat am Sonntag in Paris auf. "
        "Befürworter einer Unterstützung Mélenchons sagten, die Linke müsse zusammenstehen.",
        ("Befürworter einer Unterstützung Mélenchons", 0),
    )
    assert entity_of(doc, 0).kind == "anonymous"


def test_registered_resolver_fills_entities_and_leaves_speakerless_quotations_alone():
    text = "Angela Merkel sagte, sie komme morgen. Das sei wichtig."
    doc = Document(text=text, id="r")
    doc.quotations = [
        Quotation(id="q0", type="Indirect", speaker=[Span.of(text, 0, 13)], quote=[Span.of(text, 20, 37)]),
        Quotation(id="q1", type="IndirectFreeIndirect", quote=[Span.of(text, 39, 55)]),
    ]
    doc = resolvers.get("article")()(nlp.tokenize(doc))
    assert doc.quotations[0].speaker_entity.id == "person:angela-merkel"
    assert doc.quotations[1].speaker_entity is None
    assert [e.id for e in doc.entities] == ["person:angela-merkel"]


def person(name: str, *descriptors: str) -> Entity:
    return Entity(entity_id("person", name), name, "person", list(descriptors), [name])


def test_merz_forms_merge_across_articles():
    catalogue = [person("Friedrich Merz", "role:Bundeskanzler", "party:CDU")]
    for other in (person("Merz"), person("Merz", "role:Bundeskanzler"), person("Friedrich Merz")):
        assert canonical_entity(other, catalogue, {}).id == "person:friedrich-merz"


def test_bundeskanzler_merz_from_another_article_merges_with_friedrich_merz():
    first = entity_of(
        analysed("Bundeskanzler Friedrich Merz sagte, die Reform komme.", ("Bundeskanzler Friedrich Merz", 0)), 0
    )
    second = entity_of(analysed("Bundeskanzler Merz betonte, man sei sich einig.", ("Bundeskanzler Merz", 0)), 0)
    assert second.id == "person:merz"
    assert canonical_entity(second, [first], {}).id == first.id == "person:friedrich-merz"


def test_two_muellers_with_different_first_names_stay_apart():
    catalogue = [person("Thomas Müller", "role:Spieler")]
    gerd = person("Gerd Müller", "role:Minister")
    assert canonical_entity(gerd, catalogue, {}) is gerd


def test_bare_surname_shared_by_two_people_needs_descriptors_to_merge():
    catalogue = [person("Thomas Müller", "role:Spieler"), person("Gerd Müller", "role:Minister")]
    assert canonical_entity(person("Müller"), catalogue, {}).name == "Müller"
    assert canonical_entity(person("Müller", "role:Minister"), catalogue, {}).name == "Gerd Müller"


def test_manual_alias_table_wins_over_name_similarity():
    catalogue = [person("Friedrich Merz"), person("Fritz Merz")]
    aliases = {normalize_alias("Friedrich Merz"): "person:fritz-merz"}
    assert canonical_entity(person("Friedrich Merz"), catalogue, aliases).id == "person:fritz-merz"


def test_bare_institution_words_stay_within_their_article():
    first = entity_of(analysed("Die Polizei teilte mit, es gebe keine Verletzten.", ("Die Polizei", 0), doc_id="a1"), 0)
    second = entity_of(
        analysed("Die Polizei teilte mit, zwei Männer seien festgenommen.", ("Die Polizei", 0), doc_id="a2"), 0
    )
    assert first.name == second.name == "Polizei"
    assert first.id != second.id
    assert canonical_entity(second, [first], {}) is second


def test_acronym_and_medium_variants_merge_but_anonymous_sources_never_do():
    bbc = Entity("medium:bbc", "BBC", "medium", [], ["BBC"])
    assert canonical_entity(Entity("medium:bbc-news", "BBC News", "medium", [], []), [bbc], {}) is bbc
    anonymous = Entity("anonymous:a2:beobachter", "Beobachter", "anonymous", [], ["Beobachter"])
    known = [Entity("anonymous:a1:beobachter", "Beobachter", "anonymous", [], ["Beobachter"])]
    assert canonical_entity(anonymous, known, {}) is anonymous


def test_normalize_alias_folds_case_umlauts_and_accents():
    assert normalize_alias("  Müller ") == normalize_alias("MUELLER") == "mueller"
    assert normalize_alias("Hugo Chávez") == "hugo chavez"


def test_a_bare_kind_of_body_does_not_merge_two_bodies_across_articles():
    handelskammer = Entity("organisation:handelskammer", "Handelskammer", "organisation", [], ["die Kammer"])
    aerztekammer = Entity("organisation:landesaerztekammer", "Landesärztekammer", "organisation", [], ["die Kammer"])
    assert canonical_entity(aerztekammer, [handelskammer], {}) is aerztekammer
    same = Entity("organisation:handelskammer-hamburg", "Handelskammer Hamburg", "organisation", [], ["Handelskammer"])
    assert canonical_entity(same, [handelskammer], {}) is handelskammer
