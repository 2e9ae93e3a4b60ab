"""Reviews in the store, on SQLite and PostgreSQL: accounts, corrections applied on top of the machine's output
and kept through re-analysis, conflicts, optimistic locking, the append-only log, the review queue."""

from __future__ import annotations

import copy

import pytest

from wortlaut.document import Document, Entity, Quotation, Span
from wortlaut.review import CorrectionError
from wortlaut.store import SearchFilters, StaleEdit, open_store

TEXT = "„Wir bleiben hart“, sagte Anna Berg. Das Kraftwerk fordere die Abschaltung, hieß es. „This Is It“ lief."
PASSWORD = "lange genug 123"


def span(words: str) -> Span:
    start = TEXT.index(words)
    return Span.of(TEXT, start, start + len(words))


def anchor(words: str) -> str:
    s = span(words)
    return f"{s.start}-{s.end}"


def offsets(words: str) -> list[int]:
    s = span(words)
    return [s.start, s.end]


def machine() -> Document:
    berg = Entity("person:anna-berg", "Anna Berg", "person")
    plant = Entity("organisation:kraftwerk", "Kraftwerk", "organisation")
    return Document(
        text=TEXT,
        id="a1",
        date="2024-05-17",
        quotations=[
            Quotation(
                "q1",
                "Direct",
                quote=[span("Wir bleiben hart")],
                speaker=[span("Anna Berg")],
                speaker_entity=berg,
                confidence=0.9,
            ),
            Quotation(
                "q2",
                "Indirect",
                quote=[span("die Abschaltung")],
                speaker=[span("Das Kraftwerk")],
                speaker_entity=plant,
                confidence=0.6,
            ),
            Quotation("q3", "Direct", quote=[span("This Is It")], confidence=0.2),
        ],
        entities=[berg, plant],
    )


@pytest.fixture
def store(store_url):
    with open_store(store_url) as store:
        store.add_documents([machine()])
        store.add_user("maria", "reviewer", PASSWORD)
        yield store


def rows(store) -> list[tuple[str, str, str | None, str]]:
    return [(h.quote, h.type, h.entity_name, h.review_state) for h in store.search(article="a1")]


def test_accounts_are_kept_with_a_password_hash(store):
    assert [(a.name, a.role) for a in store.users()] == [("maria", "reviewer")]
    assert store.users()[0].password_hash.startswith("scrypt$")
    assert store.login("maria", PASSWORD).name == "maria"
    assert store.login("maria", "falsch falsch") is None and store.login("niemand", PASSWORD) is None
    with pytest.raises(KeyError, match="exists"):
        store.add_user("maria", "admin", PASSWORD)
    store.set_password("maria", "ein neues Passwort")
    assert store.login("maria", "ein neues Passwort") is not None
    store.remove_user("maria")
    assert store.users() == []


def test_corrections_show_everywhere_and_survive_a_new_analysis(store):
    store.correct("a1", anchor("Wir bleiben hart"), "confirm", reviewer="maria")
    store.correct("a1", anchor("This Is It"), "reject", reviewer="maria")
    greenpeace = {"id": "organisation:greenpeace", "name": "Greenpeace", "kind": "organisation"}
    store.db.execute("INSERT INTO entities (id, name, kind) VALUES (?, ?, ?)", list(greenpeace.values()))
    store.correct(
        "a1", anchor("die Abschaltung"), "set_speaker", {"speaker": [], "entity": greenpeace}, reviewer="maria"
    )
    expected = [
        ("Wir bleiben hart", "Direct", "Anna Berg", "confirmed"),
        ("die Abschaltung", "Indirect", "Greenpeace", "corrected"),
    ]
    assert rows(store) == expected
    assert [h.quote for h in store.search(SearchFilters(reviewed=True))] == ["die Abschaltung", "Wir bleiben hart"]

    new = machine()
    new.quotations[0].quote = [span("„Wir bleiben hart“")]  # the new model takes the marks too
    store.replace_analysis([new], model="next")
    assert [(q, t, e, s) for q, t, e, s in rows(store)] == [("„Wir bleiben hart“", *expected[0][1:]), expected[1]]
    assert store.conflicts() == []


def test_a_correction_whose_quotation_is_gone_is_kept_as_a_conflict(store):
    store.correct("a1", anchor("This Is It"), "set_type", {"type": "Reported"}, reviewer="maria")
    new = machine()
    del new.quotations[2]
    store.replace_analysis([new])
    [conflict] = store.conflicts()
    assert (conflict.article_id, conflict.action, conflict.after) == ("a1", "set_type", {"type": "Reported"})
    assert [c.action for c in store.history("a1")] == ["set_type"]


def test_the_second_of_two_concurrent_edits_is_refused(store):
    seen = store.version("a1", anchor("die Abschaltung"))
    store.correct(
        "a1", anchor("die Abschaltung"), "set_type", {"type": "Reported"}, reviewer="maria", expected_version=seen
    )
    with pytest.raises(StaleEdit, match="changed by someone else"):
        store.correct(
            "a1", anchor("die Abschaltung"), "set_type", {"type": "Direct"}, reviewer="maria", expected_version=seen
        )
    assert rows(store)[1][1] == "Reported"


def test_a_missed_quotation_is_added_and_can_be_undone(store):
    after = {"type": "Reported", "quote": [offsets("Abschaltung, hieß es")], "speaker": []}
    number = store.correct("a1", anchor("Abschaltung, hieß es"), "add", after, reviewer="maria")
    assert "Abschaltung, hieß es" in [h.quote for h in store.search(article="a1")]
    store.undo(number, reviewer="maria")
    assert "Abschaltung, hieß es" not in [h.quote for h in store.search(article="a1")]
    assert [c.action for c in store.history("a1")] == ["add", "undo"]


def test_bad_corrections_are_refused_and_the_log_is_append_only(store):
    with pytest.raises(CorrectionError, match="type 'Zitat'"):
        store.correct("a1", anchor("This Is It"), "set_type", {"type": "Zitat"}, reviewer="maria")
    with pytest.raises(KeyError, match="no quotation at"):
        store.correct("a1", "0-1", "confirm", reviewer="maria")
    with pytest.raises(KeyError, match="no user"):
        store.correct("a1", anchor("This Is It"), "confirm", reviewer="mallory")
    store.correct("a1", anchor("This Is It"), "confirm", reviewer="maria")
    with pytest.raises(Exception, match="append-only"), store.db.transaction():
        store.db.execute("DELETE FROM corrections")
    assert len(store.history()) == 1


def test_the_queue_puts_the_least_confident_first_and_counts_progress(store):
    assert [h.quote for h in store.review_queue()] == ["This Is It", "die Abschaltung", "Wir bleiben hart"]
    store.correct("a1", anchor("This Is It"), "set_type", {"type": "Reported"}, reviewer="maria")
    store.correct("a1", anchor("Wir bleiben hart"), "confirm", reviewer="maria")
    assert [h.quote for h in store.review_queue()] == ["die Abschaltung"]
    progress = store.review_progress()
    assert (progress.total, progress.reviewed, progress.corrected) == (3, 2, 1)
    assert [h.quote for h in store.search(SearchFilters(min_confidence=0.5))] == ["die Abschaltung", "Wir bleiben hart"]


def test_speakers_are_renamed_and_set_and_the_change_undone(store):
    number = store.rename_entity("person:anna-berg", "Dr. Anna Berg", reviewer="maria")
    store.set_entity_kind("organisation:kraftwerk", "organisation", reviewer="maria")
    assert rows(store)[0][2] == "Dr. Anna Berg"
    store.undo(number, reviewer="maria")
    assert rows(store)[0][2] == "Anna Berg"
    assert [(c.action, c.after["name"]) for c in store.entity_history("person:anna-berg")] == [
        ("rename", "Dr. Anna Berg"),
        ("undo", "Anna Berg"),
    ]
    with pytest.raises(CorrectionError, match="kind 'robot'"):
        store.set_entity_kind("person:anna-berg", "robot", reviewer="maria")


def speaker_of(store, quote: str) -> tuple[str | None, str | None]:
    [hit] = [h for h in store.search(article="a1") if h.quote == quote]
    return hit.entity_id, hit.entity_name


def test_a_merge_shows_in_both_histories_and_its_undo_brings_the_speaker_back_with_its_quotations(store):
    assert speaker_of(store, "die Abschaltung") == ("organisation:kraftwerk", "Kraftwerk")
    store.merge_entities("person:anna-berg", "organisation:kraftwerk", reviewer="maria")
    assert speaker_of(store, "die Abschaltung") == ("person:anna-berg", "Anna Berg")
    assert store.entity("organisation:kraftwerk") is None
    [merge] = store.entity_history("person:anna-berg")
    assert (merge.action, merge.reviewer, merge.before["name"], merge.after["merged"]) == (
        "merge",
        "maria",
        "Kraftwerk",
        "organisation:kraftwerk",
    )
    assert merge.after["aliases"] == ["kraftwerk"]
    assert merge.after["quotations"] == [["a1", anchor("die Abschaltung")]]

    undo = store.undo(merge.id, reviewer="maria")
    assert speaker_of(store, "die Abschaltung") == ("organisation:kraftwerk", "Kraftwerk")
    assert store.entity("organisation:kraftwerk").aliases == ["kraftwerk"]
    assert store.entity("person:anna-berg").manual_aliases == []
    for entity in ("person:anna-berg", "organisation:kraftwerk"):
        assert [(c.id, c.action) for c in store.entity_history(entity)] == [(merge.id, "merge"), (undo, "undo")]
    store.replace_analysis([machine()])  # the undo holds through a new analysis
    assert speaker_of(store, "die Abschaltung") == ("organisation:kraftwerk", "Kraftwerk")


def test_a_split_shows_in_both_histories_and_its_undo_gives_the_quotations_back(store):
    new_id = store.split_alias("Anna Berg", reviewer="maria")
    assert new_id != "person:anna-berg"
    assert speaker_of(store, "Wir bleiben hart")[0] == new_id
    [split] = store.entity_history("person:anna-berg")
    assert store.entity_history(new_id) == [split]
    assert (split.action, split.before["entities"], split.after["quotations"]) == (
        "split",
        ["person:anna-berg"],
        [["a1", anchor("Wir bleiben hart"), "person:anna-berg", "Anna Berg"]],
    )
    store.replace_analysis([machine()])  # the split holds through a new analysis ...
    assert speaker_of(store, "Wir bleiben hart")[0] == new_id
    store.undo(split.id, reviewer="maria")  # ... and so does its undo
    assert speaker_of(store, "Wir bleiben hart") == ("person:anna-berg", "Anna Berg")
    assert store.entity(new_id) is None
    store.replace_analysis([machine()])
    assert speaker_of(store, "Wir bleiben hart") == ("person:anna-berg", "Anna Berg")
    assert [c.action for c in store.entity_history("person:anna-berg")] == ["split", "undo"]


def test_an_undo_is_refused_when_the_speaker_was_changed_since(store):
    store.merge_entities("person:anna-berg", "organisation:kraftwerk", reviewer="maria")
    [merge] = store.entity_history("person:anna-berg")
    rename = store.rename_entity("person:anna-berg", "Dr. Anna Berg", reviewer="maria")
    with pytest.raises(
        StaleEdit, match=f"cannot be undone: the speaker was changed since \\(rename by maria, correction {rename}\\)"
    ):
        store.undo(merge.id, reviewer="maria")
    assert store.entity("organisation:kraftwerk") is None, "nothing of a refused undo is done"
    second = store.rename_entity("person:anna-berg", "Anna Berg (Bund)", reviewer="maria")
    with pytest.raises(StaleEdit):
        store.undo(rename, reviewer="maria")
    store.undo(second, reviewer="maria")  # the later change undone, the earlier can be
    store.undo(rename, reviewer="maria")
    store.undo(merge.id, reviewer="maria")
    assert speaker_of(store, "die Abschaltung") == ("organisation:kraftwerk", "Kraftwerk")
    assert speaker_of(store, "Wir bleiben hart") == ("person:anna-berg", "Anna Berg")


def test_a_speaker_chosen_by_a_reviewer_and_merged_since_survives_a_new_analysis(store):
    greenpeace = {"id": "organisation:greenpeace", "name": "Greenpeace", "kind": "organisation"}
    store.db.execute("INSERT INTO entities (id, name, kind) VALUES (?, ?, ?)", list(greenpeace.values()))
    store.correct(
        "a1", anchor("die Abschaltung"), "set_speaker", {"speaker": [], "entity": greenpeace}, reviewer="maria"
    )
    store.merge_entities("organisation:kraftwerk", "organisation:greenpeace", reviewer="maria")
    store.replace_analysis([machine()])
    assert speaker_of(store, "die Abschaltung") == ("organisation:kraftwerk", "Kraftwerk")


def lock_from_the_second(failures: int) -> float:
    return 60.0 if failures >= 2 else 0.0


def test_failed_logins_are_counted_for_every_store_connection_alike(store_url, store):
    lock = lock_from_the_second
    with open_store(store_url) as other:  # another server process's connection
        store.login_failed(["name:maria", "client:1"], lock)
        assert other.login_wait(["name:maria"]) == 0
        other.login_failed(["name:maria", "client:2"], lock)
        assert 0 < store.login_wait(["name:maria"]) <= 60 and store.login_wait(["client:1", "client:2"]) == 0
        store.login_succeeded(["name:maria"])
        assert other.login_wait(["name:maria"]) == 0


def test_an_article_stored_before_reviews_existed_can_be_corrected(store):
    store.db.execute("UPDATE articles SET machine = NULL WHERE id = 'a1'")
    store.correct("a1", anchor("This Is It"), "reject", reviewer="maria")
    assert [r[0] for r in rows(store)] == ["Wir bleiben hart", "die Abschaltung"]
    assert copy.deepcopy(store.machine("a1")).quotations[2].quote_text == "This Is It"
