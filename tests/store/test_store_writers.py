"""Several writers on one store, and articles the store cannot keep: on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import json
import multiprocessing
import uuid
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from wortlaut.api import analyze
from wortlaut.document import Document, Entity, Quotation, Span
from wortlaut.ingest import ingest
from wortlaut.resolve import entity_id
from wortlaut.store import open_store
from wortlaut.store.pgserver import create_database

WRITERS = 4
ARTICLES = 200
SPEAKERS = (
    ("Bürgermeister", "Jonas Albrecht"),
    ("Finanzministerin", "Klara Berger"),
    ("Gewerkschaftschef", "Peter Hoffmann"),
    ("Umweltministerin", "Sabine Krüger"),
    ("Verbandspräsident", "Thomas Wagner"),
    ("Schulleiterin", "Anna Schmidt"),
)
TOPICS = ("den Haushalt", "die Schulen", "den Busverkehr", "die Mieten", "das Schwimmbad")


def article(writer: int, n: int) -> dict[str, str]:
    """A short German article whose speaker other writers also quote (by the same full name); every writer's
    first article quotes the first speaker, and each then meets the others in its own order."""
    role, name = SPEAKERS[n * (writer + 1) % len(SPEAKERS)]
    topic = TOPICS[n % len(TOPICS)]
    return {
        "id": f"w{writer}-{n}",
        "url": f"https://zeitung.example/w{writer}/{n}",
        "title": f"Stadtrat {n}",
        "date": f"2024-05-{n % 28 + 1:02d}",
        "text": f"„Wir müssen {topic} jetzt gemeinsam anpacken“, sagte {role} {name} am Montag im Stadtrat.",
    }


@pytest.fixture(scope="module")
def writer_batches() -> list[list[Document]]:
    """Each writer's articles, analysed with the rules extractor. The texts repeat (the same speaker on the same
    topic, a wire story under another URL), so each distinct text is analysed once and the test stays quick."""
    analysed: dict[str, Document] = {}
    batches = []
    for writer in range(WRITERS):
        batch = []
        for n in range(ARTICLES):
            record = article(writer, n)
            text = record.pop("text")
            if text not in analysed:
                analysed[text] = analyze(text, extractor="rules")
            batch.append(replace(analysed[text], **record))
        batches.append(batch)
    return batches


def store_as_writer(url: str, docs: list[Document], result: str, together: Any) -> None:
    """One writer process: open the fresh store when the others do, add the first article, and once every
    writer has (so each has read the speakers there were then), the rest, one per transaction, as
    `wortlaut ingest --batch-size 1` does."""
    together.wait()
    with open_store(url) as store:
        outcomes = store.add_batch(docs[:1])
        together.wait()
        outcomes += [outcome for doc in docs[1:] for outcome in store.add_batch([doc])]
    Path(result).write_text(json.dumps([[o.doc_id, o.status, o.message] for o in outcomes]), encoding="utf-8")


def snapshot(url: str) -> dict[str, Any]:
    """What must not depend on how the writers interleaved: articles, speakers, their aliases, who said what."""
    with open_store(url) as store:
        rows = store.db.execute
        return {
            "articles": Counter(r["id"] for r in rows("SELECT id FROM articles")),
            "entities": sorted(
                (r["id"], r["name"], r["kind"], sorted(json.loads(r["descriptors"])))
                for r in rows("SELECT id, name, kind, descriptors FROM entities")
            ),
            "aliases": sorted((r["alias"], r["entity_id"], bool(r["manual"])) for r in rows("SELECT * FROM aliases")),
            "speakers": sorted(
                (r["article_id"], r["qid"], r["entity_id"])
                for r in rows("SELECT article_id, qid, entity_id FROM quotations")
            ),
        }


@pytest.fixture(params=["sqlite", "postgres"])
def fresh_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """Makes the URL of a new, empty (not yet migrated) store on the backend under test."""

    def make(name: str) -> str:
        if request.param == "sqlite":
            return str(tmp_path / f"{name}.sqlite")
        return create_database(request.getfixturevalue("postgres_server"), "t_" + uuid.uuid4().hex[:12])

    return make


@pytest.mark.slow
def test_concurrent_writers_store_every_article_once_and_the_serial_catalogue(
    fresh_store_url, writer_batches, tmp_path
):
    shared = fresh_store_url("shared")
    context = multiprocessing.get_context("spawn")
    together = context.Barrier(WRITERS, timeout=300)  # a writer that dies breaks it, rather than hang the others
    results = [str(tmp_path / f"result{w}.json") for w in range(WRITERS)]
    writers = [
        context.Process(target=store_as_writer, args=(shared, docs, result, together))
        for docs, result in zip(writer_batches, results, strict=True)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert [w.exitcode for w in writers] == [0] * WRITERS
    outcomes = [outcome for r in results for outcome in json.loads(Path(r).read_text(encoding="utf-8"))]
    assert [o for o in outcomes if o[1] != "stored"] == []
    assert len(outcomes) == WRITERS * ARTICLES

    serial = fresh_store_url("serial")
    with open_store(serial) as store:
        for docs in writer_batches:
            assert all(store.add_batch([doc])[0].status == "stored" for doc in docs)

    together, one_by_one = snapshot(shared), snapshot(serial)
    assert set(together["articles"]) == {f"w{w}-{n}" for w in range(WRITERS) for n in range(ARTICLES)}
    assert set(together["articles"].values()) == {1}
    assert len(together["entities"]) == len(SPEAKERS)
    assert together == one_by_one


def analysed(doc_id: str, speaker: str, url: Any = None, qid: str = "q1") -> Document:
    """An analysed article `<speaker> sagte: „…“` with one quotation (two with the same id when qid repeats)."""
    text = f"{speaker} sagte: „Die Brücke wird im Herbst fertig.“"
    quote_start = text.index("„")
    quotation = Quotation(
        id=qid,
        type="Direct",
        medium="Speech",
        quote=[Span.of(text, quote_start, len(text))],
        speaker=[Span.of(text, 0, len(speaker))],
        cue=[Span.of(text, len(speaker) + 1, len(speaker) + 6)],
        speaker_entity=Entity(entity_id("person", speaker), speaker, "person", [], [speaker]),
    )
    return Document(text=text, id=doc_id, url=url, date="2024-06-01", quotations=[quotation])


def test_an_article_the_store_cannot_keep_fails_alone_and_alike_on_both_backends(store_url):
    unhashable_url = analysed("b2", "Klara Berger", url=["https://a.example/1", "https://a.example/2"])
    rejected_by_database = analysed("b3", "Peter Hoffmann")
    rejected_by_database.quotations.append(rejected_by_database.quotations[0])  # (article, qid) must be unique
    batch = [analysed("b1", "Jonas Albrecht"), unhashable_url, rejected_by_database, analysed("b4", "Anna Schmidt")]
    with open_store(store_url) as store:
        outcomes = store.add_batch(batch)
        assert [(o.doc_id, o.status) for o in outcomes] == [
            ("b1", "stored"),
            ("b2", "failed"),
            ("b3", "failed"),
            ("b4", "stored"),
        ]
        assert (
            outcomes[1].message
            == "not stored: url is a list (['https://a.example/1', 'https://a.example/2']), not text"
        )
        assert [a.id for a in store.articles()] == ["b4", "b1"]
        assert sorted(e.name for e in store.entities()) == ["Anna Schmidt", "Jonas Albrecht"]  # b3's was rolled back
        assert store.add_batch([analysed("b3", "Peter Hoffmann")])[0].status == "stored"  # the catalogue recovers
        assert sorted(e.name for e in store.entities()) == ["Anna Schmidt", "Jonas Albrecht", "Peter Hoffmann"]


def test_ingest_reports_a_record_with_a_list_url_and_stores_the_rest(store_url, tmp_path):
    records = [article(0, n) for n in range(3)]
    records[1]["url"] = ["https://zeitung.example/a", "https://zeitung.example/b"]
    source = tmp_path / "mixed.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with open_store(store_url) as store:
        report = ingest(store, [str(source)], extractor="rules")
        assert report.stored == 2
        assert report.failed == [f"{source}:2: field 'url' must be a string"]
        assert sorted(a.id for a in store.articles()) == ["w0-0", "w0-2"]


def open_when_the_others_do(url: str, together: Any) -> None:
    together.wait()
    with open_store(url) as store:
        assert store.stats().articles == 0


def test_processes_opening_a_fresh_sqlite_store_at_once_all_get_it(tmp_path):
    """Switching a new SQLite file to write-ahead logging needs the file to itself, and SQLite refuses at once
    ("database is locked") while another opener holds it; every opener must get the store all the same."""
    context = multiprocessing.get_context("spawn")
    for attempt in range(4):
        together = context.Barrier(6, timeout=120)
        url = str(tmp_path / f"fresh{attempt}.sqlite")
        openers = [context.Process(target=open_when_the_others_do, args=(url, together)) for _ in range(6)]
        for opener in openers:
            opener.start()
        for opener in openers:
            opener.join()
        assert [o.exitcode for o in openers] == [0] * 6
