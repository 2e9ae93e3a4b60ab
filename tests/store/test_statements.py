"""Speaker totals count statements, not fragments: words quoted inside the same speaker's own quotation are
one statement with it (the quotations themselves are all kept and searchable)."""

from __future__ import annotations

from wortlaut.document import Document, Entity, Quotation, Span
from wortlaut.store import analytics, open_store

TEXT = "Berg sagte, das Projekt sei „ein Fehler“. Später sagte Berg, sie bleibe dabei. Kurz sagte, es gehe weiter."


def span(words: str) -> Span:
    start = TEXT.index(words)
    return Span.of(TEXT, start, start + len(words))


def test_a_fragment_in_the_speakers_own_quotation_is_not_counted_again(store_url):
    berg = Entity("person:anna-berg", "Anna Berg", "person")
    kurz = Entity("person:tom-kurz", "Tom Kurz", "person")
    doc = Document(
        text=TEXT,
        id="a1",
        date="2024-05-17",
        quotations=[
            Quotation(
                "q1",
                "Indirect",
                quote=[span("das Projekt sei „ein Fehler“")],
                speaker=[span("Berg")],
                speaker_entity=berg,
            ),
            Quotation(
                "q2", "Direct", quote=[span("ein Fehler")], speaker=[span("Berg")], speaker_entity=berg, nested_in="q1"
            ),
            Quotation("q3", "Indirect", quote=[span("sie bleibe dabei")], speaker=[span("Berg")], speaker_entity=berg),
            Quotation("q4", "Indirect", quote=[span("es gehe weiter")], speaker=[span("Kurz")], speaker_entity=kurz),
        ],
        entities=[berg, kurz],
    )
    with open_store(store_url) as store:
        store.add_documents([doc])
        assert store.count(article="a1") == 4
        assert [(e.name, e.quotation_count) for e in store.entities()] == [("Anna Berg", 2), ("Tom Kurz", 1)]
        top = analytics.top_speakers(store.db, analytics.Scope())
        assert [(s.name, s.count) for s in top] == [("Anna Berg", 2), ("Tom Kurz", 1)]
