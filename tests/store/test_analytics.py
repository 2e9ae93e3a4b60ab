"""store/analytics.py on SQLite and PostgreSQL: exact numbers on a small store of our own sentences.

The corpus (9 quotations in 4 articles):
    a1 2024-01-08 taz   Anna Weber (Ministerin) Direct 0.9, Anna Weber Indirect 0.4, Tim Berg Direct 0.9
    a2 2024-01-20 FAZ   "er" (= Tim Berg) Indirect 0.8, Die Polizei Reported/Writing 0.3, nobody FreeIndirect 0.9
    a3 2024-02-05 taz   Anna Weber Direct/Writing 0.95, Kim Ober Direct 0.7
    a4 (no date)  FAZ   Kim Ober Direct 0.9
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from wortlaut.document import Document, Entity, Quotation, Span
from wortlaut.store import Store, open_store
from wortlaut.store.analytics import (
    Count,
    PeriodSpeaker,
    Quality,
    Scope,
    Share,
    counts_by,
    quality,
    speaker_genders,
    speaker_trend,
    timeline,
    top_speakers,
    top_speakers_per_period,
    voice_shares,
)

WEBER = Entity("person:anna-weber", "Anna Weber", "person", ["role:Ministerin"], ["Anna Weber"])
BERG = Entity("person:tim-berg", "Tim Berg", "person", [], ["Tim Berg"])
OBER = Entity("person:kim-ober", "Kim Ober", "person", [], ["Kim Ober"])
POLIZEI = Entity("organisation:polizei", "Polizei", "organisation", [], ["Polizei"])

#: (mention, entity, type, medium, confidence) per quotation.
Said = tuple[str, Entity | None, str, str, float]


def article(doc_id: str, date: str | None, source: str, said: list[Said]) -> Document:
    """`<mention> sagte: "Satz n."` per quotation, with spans into the text."""
    text, quotations = "", []
    for n, (mention, entity, qtype, medium, confidence) in enumerate(said, start=1):
        start = len(text)
        quote = f"Das ist Satz {n}."
        text += f'{mention or "Es hieß"} sagte: "{quote}" '
        q_start = text.index(quote, start)
        quotations.append(
            Quotation(
                id=f"q{n}",
                type=qtype,
                medium=medium,
                quote=[Span.of(text, q_start, q_start + len(quote))],
                speaker=[Span.of(text, start, start + len(mention))] if mention else [],
                speaker_entity=entity,
                confidence=confidence,
            )
        )
    return Document(text=text, id=doc_id, title=doc_id, date=date, source=source, quotations=quotations)


CORPUS = [
    article(
        "a1",
        "2024-01-08",
        "taz",
        [
            ("Anna Weber", WEBER, "Direct", "Speech", 0.9),
            ("Anna Weber", WEBER, "Indirect", "Speech", 0.4),
            ("Tim Berg", BERG, "Direct", "Speech", 0.9),
        ],
    ),
    article(
        "a2",
        "2024-01-20",
        "FAZ",
        [
            ("er", BERG, "Indirect", "Speech", 0.8),
            ("Die Polizei", POLIZEI, "Reported", "Writing", 0.3),
            ("", None, "FreeIndirect", "Speech", 0.9),
        ],
    ),
    article(
        "a3",
        "2024-02-05",
        "taz",
        [("Anna Weber", WEBER, "Direct", "Writing", 0.95), ("Kim Ober", OBER, "Direct", "Speech", 0.7)],
    ),
    article("a4", None, "FAZ", [("Kim Ober", OBER, "Direct", "Speech", 0.9)]),
]
ALL = Scope()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as opened:
        assert opened.add_documents(CORPUS).stored == 4
        yield opened


def test_timeline_by_day_week_and_month(store: Store) -> None:
    assert timeline(store.db, ALL, "month") == [Count("2024-01", 6), Count("2024-02", 2)]
    assert timeline(store.db, ALL, "week") == [Count("2024-W02", 3), Count("2024-W03", 3), Count("2024-W06", 2)]
    assert timeline(store.db, ALL, "day") == [Count("2024-01-08", 3), Count("2024-01-20", 3), Count("2024-02-05", 2)]


def test_date_range_and_filters_narrow_every_aggregate(store: Store) -> None:
    assert timeline(store.db, Scope(since="2024-01-15", until="2024-02-05"), "month") == [
        Count("2024-01", 3),
        Count("2024-02", 2),
    ]
    assert quality(store.db, Scope(until="2024-01-31")) == Quality(total=6, unresolved=1, low_confidence=2, undated=0)
    assert counts_by(store.db, Scope(source="taz"), "type") == [Count("Direct", 4), Count("Indirect", 1)]
    assert counts_by(store.db, Scope(type="Direct", medium="Writing"), "source") == [Count("taz", 1)]


def test_type_medium_and_outlet_counts(store: Store) -> None:
    assert counts_by(store.db, ALL, "type") == [
        Count("Direct", 5),
        Count("Indirect", 2),
        Count("FreeIndirect", 1),
        Count("Reported", 1),
    ]
    assert counts_by(store.db, ALL, "medium") == [Count("Speech", 7), Count("Writing", 2)]
    assert counts_by(store.db, ALL, "source") == [Count("taz", 5), Count("FAZ", 4)]


def test_unresolved_low_confidence_and_undated(store: Store) -> None:
    assert quality(store.db, ALL) == Quality(total=9, unresolved=1, low_confidence=2, undated=1)
    assert quality(store.db, ALL, low_confidence=0.85) == Quality(9, 1, 4, 1)


def test_top_speakers_overall_and_per_period(store: Store) -> None:
    ranked = [(s.entity_id, s.count) for s in top_speakers(store.db, ALL, limit=10)]
    assert ranked == [
        ("person:anna-weber", 3),
        ("person:kim-ober", 2),
        ("person:tim-berg", 2),
        ("organisation:polizei", 1),
    ]
    assert [s.entity_id for s in top_speakers(store.db, Scope(source="FAZ"), limit=2)] == [
        "person:kim-ober",  # three speakers with one quotation each: by name
        "organisation:polizei",
    ]
    assert top_speakers_per_period(store.db, ALL, "month", limit=2) == [
        PeriodSpeaker("2024-01", 1, "person:anna-weber", "Anna Weber", 2),
        PeriodSpeaker("2024-01", 2, "person:tim-berg", "Tim Berg", 2),
        PeriodSpeaker("2024-02", 1, "person:anna-weber", "Anna Weber", 1),
        PeriodSpeaker("2024-02", 2, "person:kim-ober", "Kim Ober", 1),
    ]


def test_speaker_trend_shares_of_each_period(store: Store) -> None:
    assert speaker_trend(store.db, Scope(source="taz"), ["person:anna-weber", "person:kim-ober"], "month") == [
        Share("2024-01", "person:anna-weber", 2, 2 / 3),
        Share("2024-02", "person:anna-weber", 1, 1 / 2),
        Share("2024-02", "person:kim-ober", 1, 1 / 2),
    ]


def test_gender_from_the_text_with_unknown_shown(store: Store) -> None:
    assert voice_shares(store.db, ALL, "gender") == [
        Share("all", "female", 3, 3 / 7),
        Share("all", "male", 2, 2 / 7),
        Share("all", "unknown", 2, 2 / 7),
    ]
    assert voice_shares(store.db, ALL, "gender", by="source") == [
        Share("FAZ", "male", 1, 1 / 2),
        Share("FAZ", "unknown", 1, 1 / 2),
        Share("taz", "female", 3, 3 / 5),
        Share("taz", "male", 1, 1 / 5),
        Share("taz", "unknown", 1, 1 / 5),
    ]
    assert voice_shares(store.db, ALL, "gender", by="period", period="month") == [
        Share("2024-01", "female", 2, 1 / 2),
        Share("2024-01", "male", 2, 1 / 2),
        Share("2024-02", "female", 1, 1 / 2),
        Share("2024-02", "unknown", 1, 1 / 2),
    ]
    evidence = {s.entity_id: (s.gender, s.evidence, s.count) for s in speaker_genders(store.db, ALL)}
    assert evidence == {
        "person:anna-weber": ("female", "role noun Ministerin", 3),
        "person:tim-berg": ("male", "pronoun er", 2),
        "person:kim-ober": ("unknown", "", 2),
    }


def test_speaker_kinds_with_unresolved(store: Store) -> None:
    assert voice_shares(store.db, ALL, "kind") == [
        Share("all", "person", 7, 7 / 9),
        Share("all", "organisation", 1, 1 / 9),
        Share("all", "unresolved", 1, 1 / 9),
    ]
    assert voice_shares(store.db, Scope(since="2024-01-20", until="2024-01-20"), "kind", by="source") == [
        Share("FAZ", "person", 1, 1 / 3),
        Share("FAZ", "organisation", 1, 1 / 3),
        Share("FAZ", "unresolved", 1, 1 / 3),
    ]
