"""The error classes of issue 14, each on hand-written German sentences (not from the dataset) that the default
model (with its clean-up stage) must get right."""

from __future__ import annotations

import pytest

from wortlaut.api import analyze
from wortlaut.document import Document, Quotation, Span
from wortlaut.extract.cleanup import cleaned


def found(text: str) -> list[Quotation]:
    return analyze(text).quotations


def only(text: str, qtype: str | None = None) -> Quotation:
    """The one quotation found (of that type)."""
    quotations = [q for q in found(text) if qtype is None or q.type == qtype]
    assert len(quotations) == 1, [(q.type, q.quote_text, q.speaker_text) for q in found(text)]
    return quotations[0]


# 1. speaker spans that run into the object or a place


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Das sei ein schwerer Fehler gewesen, sagte Außenamtssprecherin Maria Sacharowa in Wladiwostok.",
            "Außenamtssprecherin Maria Sacharowa",
        ),
        (
            "„Wir werden nicht nachgeben“, sagte der Gewerkschaftschef Frank Werneke im Deutschlandfunk.",
            "der Gewerkschaftschef Frank Werneke",
        ),
        (
            "Der Chemiker Paul Berger sagte der Lokalzeitung, die Proben seien verunreinigt gewesen.",
            "Der Chemiker Paul Berger",
        ),
    ],
)
def test_speaker_is_the_name_with_its_role_noun(text: str, speaker: str) -> None:
    assert only(text).speaker_text == speaker


def test_speaker_keeps_its_apposition_and_genitive() -> None:
    q = only("Die Sprecherin der Polizei in Hamburg, Anna Weber, sagte, der Täter sei noch flüchtig.")
    assert q.speaker_text == "Die Sprecherin der Polizei in Hamburg, Anna Weber"


# 2. rejected or denied content is not the denier's claim


def test_rejected_report_is_the_source_of_its_clause() -> None:
    q = only(
        "Der Verkehrsminister Jens Albrecht wies am Dienstag Berichte der Tageszeitung „Nordkurier“ zurück, "
        "wonach er bald zurücktreten werde.",
        "Indirect",
    )
    assert q.speaker_text == "Berichte der Tageszeitung „Nordkurier“"
    assert "Albrecht" not in q.speaker_text


def test_rejected_proposal_is_the_source_of_its_clause() -> None:
    q = only(
        "Bundeskanzlerin Angela Merkel lehnte am Mittwoch den Vorschlag des Finanzministers ab, die Steuern zu senken."
    )
    assert q.speaker_text == "den Vorschlag des Finanzministers"


def test_a_denial_is_reported_not_claimed() -> None:
    q = only("Der Konzern dementierte, dass er Stellen abbauen wolle.")
    assert q.type == "Reported"
    assert q.speaker_text == "Der Konzern"
    assert q.quote_text.startswith("Der Konzern dementierte")


# 5. things in quotation marks that are not quotations


@pytest.mark.parametrize(
    "text",
    [
        "Die Plattenfirma teilte mit, der Film „This Is It“ werde im Oktober in die Kinos kommen.",
        "Der Sänger sagte, er habe den Song „Stille Wasser“ in einer Nacht geschrieben.",
        "Der Bürgermeister erklärte, die Feuerwehr habe das „Hotel Adler“ rechtzeitig geräumt.",
        "Der Verband kritisierte die sogenannte „Reform“ scharf. Sie belaste vor allem kleine Betriebe, sagte er.",
    ],
)
def test_titles_names_and_scare_quotes_are_no_quotations(text: str) -> None:
    quoted = [q.quote_text for q in found(text) if q.type == "Direct"]
    assert quoted == []


def test_a_one_word_quotation_with_cue_verb_and_speaker_stays() -> None:
    q = only("Der Abgeordnete nannte den Plan „absurd“.")
    assert (q.type, q.quote_text, q.speaker_text) == ("Direct", "„absurd“", "Der Abgeordnete")


# 4. nested speakers


def test_a_report_inside_a_report_is_nested_with_its_own_speaker() -> None:
    quotations = found("Ein Regierungssprecher sagte, Merz habe erklärt, dass die Regierung die Renten erhöhen werde.")
    outer = next(q for q in quotations if q.nested_in is None)
    inner = next(q for q in quotations if q.nested_in == outer.id)
    assert outer.speaker_text == "Ein Regierungssprecher"
    assert outer.quote_text.startswith("Merz habe erklärt")
    assert (inner.type, inner.speaker_text) == ("Indirect", "Merz")
    assert inner.quote_text == "dass die Regierung die Renten erhöhen werde"


def test_quoted_words_in_the_inner_report_are_the_inner_speakers() -> None:
    quotations = found("Die Sprecherin betonte, der Minister habe gesagt, er werde „alles Nötige“ tun.")
    words = next(q for q in quotations if q.quote_text == "„alles Nötige“")
    inner = next(q for q in quotations if q.id == words.nested_in)
    assert inner.speaker_text == words.speaker_text == "der Minister"
    assert inner.nested_in is not None


# 3. the speaker of a continuation across a paragraph


def test_a_continuation_takes_the_speaker_of_the_speech_act_before_it() -> None:
    text = (
        "Ein Regierungssprecher sagte am Montag in Berlin, die Lage sei ernst.\n\n"
        "Der ukrainische Präsident Selenskyj äußerte sich nach dem Treffen weitgehend zufrieden. "
        "Eine starke Armee sei dabei entscheidend für die Zukunft des Landes."
    )
    continuation = next(q for q in found(text) if q.quote_text.startswith("Eine starke Armee"))
    assert continuation.speaker_text == "Der ukrainische Präsident Selenskyj"


def test_a_continuation_right_after_its_quotation_keeps_that_speaker() -> None:
    text = "Die Bürgermeisterin sagte, die Brücke sei marode. Sie müsse im Sommer gesperrt werden."
    continuation = next(q for q in found(text) if q.quote_text.startswith("Sie müsse"))
    assert continuation.speaker_text == "Die Bürgermeisterin"


# 6. organisations speak, the things they talk about do not


@pytest.mark.parametrize(
    "text",
    [
        "Greenpeace forderte, das Atomkraftwerk Krümmel sofort stillzulegen.",
        "Das Atomkraftwerk Krümmel müsse sofort abgeschaltet werden, forderte Greenpeace am Montag.",
        "Nach dem Störfall im Atomkraftwerk Krümmel forderte Greenpeace, den Reaktor endgültig stillzulegen.",
    ],
)
def test_the_organisation_is_the_speaker_not_the_power_plant(text: str) -> None:
    assert only(text).speaker_text == "Greenpeace"


def test_a_speaker_inside_its_own_quote_is_replaced_by_the_cue_verbs_subject() -> None:
    doc = analyze("Greenpeace forderte, das Atomkraftwerk Krümmel sofort stillzulegen.")
    q = doc.quotations[0]
    plant = doc.text.index("das Atomkraftwerk Krümmel")
    q.speaker = [doc.span(plant, plant + len("das Atomkraftwerk Krümmel"))]
    assert [s.text for s in cleaned(doc, [q])[0].speaker] == ["Greenpeace"]


# Reported quotations need someone who reports


@pytest.mark.parametrize(
    "text",
    [
        "Zwölf Todesopfer forderte das Unwetter in den Bergen.",
        "Die Verhandlungen ziehen sich seit Monaten hin (die Zeitung berichtete).",
    ],
)
def test_no_reported_quotation_without_an_agent(text: str) -> None:
    assert found(text) == []


def test_a_reported_speech_act_stays() -> None:
    q = only("Die Gewerkschaft kritisierte den Tarifabschluss scharf.")
    assert (q.type, q.speaker_text) == ("Reported", "Die Gewerkschaft")


def test_the_subject_of_a_passive_reports_nothing() -> None:
    doc = analyze("Die Anwohner wurden am Abend vor weiteren Erdrutschen gewarnt.")
    report = Quotation(
        id="q0",
        type="Reported",
        quote=[doc.span(0, len(doc.text))],
        speaker=[doc.span(0, len("Die Anwohner"))],
    )
    assert cleaned(doc, [report]) == []


# clean-up round 3: pronouns opening a speaker run, continuations after any named act, Direct follow-ups,
# denials without content


def span(doc: Document, phrase: str, last: bool = False) -> Span:
    start = doc.text.rindex(phrase) if last else doc.text.index(phrase)
    return doc.span(start, start + len(phrase))


def quotation(doc: Document, qtype: str, quote: str, speaker: list[str], cue: tuple[str, ...] = ()) -> Quotation:
    """A quotation as the taggers might give it, from phrases of the text (each phrase's first occurrence)."""
    return Quotation(
        id="q0",
        type=qtype,
        quote=[span(doc, quote)],
        speaker=[span(doc, s) for s in speaker],
        cue=[span(doc, c) for c in cue],
    )


@pytest.mark.parametrize(
    ("text", "qtype", "quote", "run", "speaker"),
    [
        (
            "Der Plan sei völlig verfehlt, kritisierte ihn der Abgeordnete Karl Weber.",
            "Indirect",
            "Der Plan sei völlig verfehlt",
            "ihn der Abgeordnete Karl Weber",
            "der Abgeordnete Karl Weber",
        ),
        (
            "Die Rede, in der Müller den Haushalt kritisierte, dauerte eine Stunde.",
            "Reported",
            "in der Müller den Haushalt kritisierte",
            "der Müller",
            "Müller",
        ),
    ],
)
def test_an_object_or_relative_pronoun_does_not_open_the_speaker(
    text: str, qtype: str, quote: str, run: str, speaker: str
) -> None:
    doc = analyze(text)
    assert [s.text for s in cleaned(doc, [quotation(doc, qtype, quote, [run])])[0].speaker] == [speaker]


@pytest.mark.parametrize(
    ("act", "speaker"),
    [
        ("Bürgermeisterin Lena Vogt besuchte am Dienstag die Baustelle.", "Bürgermeisterin Lena Vogt"),
        ("Der Landrat hat den Plan am Abend im Kreistag verteidigt.", "Der Landrat"),
    ],
)
def test_a_continuation_after_a_named_act_or_a_perfect_cue_is_that_speakers(act: str, speaker: str) -> None:
    doc = analyze(f"Die Ministerin sagte, das Budget reiche nicht aus.\n\n{act} Der Zeitplan sei nicht zu halten.")
    first = quotation(doc, "Indirect", "das Budget reiche nicht aus", ["Die Ministerin"], ("sagte",))
    continuation = quotation(doc, "IndirectFreeIndirect", "Der Zeitplan sei nicht zu halten.", ["Die Ministerin"])
    continuation.id = "q1"
    cleaned(doc, [first, continuation])
    assert [s.text for s in continuation.speaker] == [speaker]


def test_a_direct_quotation_after_an_indirect_one_carries_its_speaker() -> None:
    doc = analyze("Die Ärztin Maria Lenz sagte, die Lage sei angespannt. „Wir arbeiten seit Wochen am Limit.“")
    indirect = quotation(doc, "Indirect", "die Lage sei angespannt", ["Die Ärztin Maria Lenz"], ("sagte",))
    direct = quotation(doc, "Direct", "„Wir arbeiten seit Wochen am Limit.“", [])
    direct.id = "q1"
    cleaned(doc, [indirect, direct])
    assert [s.text for s in direct.speaker] == ["Die Ärztin Maria Lenz"]


def test_a_direct_quotation_after_a_report_keeps_no_speaker() -> None:
    doc = analyze("Die Gewerkschaft kritisierte den Abschluss. „Wir arbeiten seit Wochen am Limit.“")
    report = quotation(doc, "Reported", "Die Gewerkschaft kritisierte den Abschluss.", ["Die Gewerkschaft"])
    direct = quotation(doc, "Direct", "„Wir arbeiten seit Wochen am Limit.“", [])
    direct.id = "q1"
    cleaned(doc, [report, direct])
    assert direct.speaker == []


def test_a_denial_of_a_thing_is_no_quotation() -> None:
    doc = analyze("Der Minister wies die Vorwürfe am Montag zurück.")
    assert cleaned(doc, [quotation(doc, "Reported", doc.text, ["Der Minister"])]) == []


def test_a_denial_with_another_speech_act_stays() -> None:
    doc = analyze("Der Minister wies die Vorwürfe zurück und kritisierte die Opposition scharf.")
    assert len(cleaned(doc, [quotation(doc, "Reported", doc.text, ["Der Minister"])])) == 1


def test_a_continuation_after_a_name_with_a_long_apposition_is_that_persons() -> None:
    act = "Karin Busch, Leiterin des Ordnungsamtes Kassel und Kandidatin im Wahlkreis, verteidigte den Einsatz."
    doc = analyze(f"Der Stadtrat sagte, die Kontrollen seien zu streng.\n\n{act} Die Regeln hätten sich bewährt.")
    first = quotation(doc, "Indirect", "die Kontrollen seien zu streng", ["Der Stadtrat"], ("sagte",))
    continuation = quotation(doc, "IndirectFreeIndirect", "Die Regeln hätten sich bewährt.", ["Der Stadtrat"])
    continuation.id = "q1"
    cleaned(doc, [first, continuation])
    assert [s.text for s in continuation.speaker] == [act[: act.index(", verteidigte")]]


def test_a_narrated_event_is_no_reported_quotation() -> None:
    doc = analyze("Der Streit um die Reform zieht sich seit Jahren durch die Partei.")
    assert cleaned(doc, [quotation(doc, "Reported", doc.text, ["Der Streit um die Reform"])]) == []


def test_an_intention_is_a_reported_quotation() -> None:
    doc = analyze("Die Partei will die Steuern für kleine Betriebe senken.")
    assert len(cleaned(doc, [quotation(doc, "Reported", doc.text, ["Die Partei"])])) == 1
