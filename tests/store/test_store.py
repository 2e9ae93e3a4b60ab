"""Store tests, each run against SQLite and a real PostgreSQL server (see conftest.store_url)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from wortlaut import settings
from wortlaut.cli import app
from wortlaut.document import Document, Quotation, Span
from wortlaut.ingest import ingest, reanalyze
from wortlaut.store import SearchFilters, open_store

HOSTILE = "x'); DROP TABLE articles; --"


def make_doc(
    doc_id: str,
    speaker: str,
    quote: str,
    *,
    date: str = "2024-05-01",
    source: str = "taz",
    url: str | None = None,
    qtype: str = "Direct",
    extra: str = "",
) -> Document:
    """An analysed article `<speaker> sagte: "<quote>"` with one quotation whose parts index the text."""
    text = f'{speaker} sagte: "{quote}"{extra}'
    q_start = len(speaker) + len(" sagte: ")
    quotation = Quotation(
        id="q1",
        type=qtype,
        medium="Speech",
        quote=[Span.of(text, q_start, q_start + len(quote) + 2)],
        speaker=[Span.of(text, 0, len(speaker))],
        cue=[Span.of(text, len(speaker) + 1, len(speaker) + 6)],
        confidence=0.75,
    )
    return Document(
        text=text, id=doc_id, title=f"Titel {doc_id}", date=date, url=url, source=source, quotations=[quotation]
    )


@pytest.fixture
def store(store_url: str):
    with open_store(store_url) as opened:
        yield opened


@pytest.fixture
def filled(store):
    store.add_documents(
        [
            make_doc("a1", "Olaf Scholz", "Die Rente ist sicher", date="2024-01-10", source="taz"),
            make_doc("a2", "Friedrich Merz", "Wir brauchen mehr Wachstum", date="2024-03-05", source="FAZ"),
            make_doc(
                "a3",
                "Annalena Baerbock",
                "Die Rente muss reformiert werden",
                date="2024-06-20",
                source="taz",
                qtype="Indirect",
            ),
        ]
    )
    return store


def test_stored_article_reads_back_with_every_part(store):
    doc = make_doc("a1", "Olaf Scholz", "Die Rente ist sicher")
    assert store.add_documents([doc]).stored == 1
    back = store.article("a1")
    assert back is not None
    assert (back.text, back.title, back.date, back.source) == (doc.text, doc.title, doc.date, doc.source)
    [q] = back.quotations
    original = doc.quotations[0]
    assert (q.id, q.type, q.medium, q.confidence) == ("q1", "Direct", "Speech", 0.75)
    for part in ("quote", "speaker", "cue"):
        assert q.part(part) == original.part(part)
        assert all(back.text[s.start : s.end] == s.text for s in q.part(part))


def test_same_article_is_not_stored_twice(store):
    doc = make_doc("a1", "Olaf Scholz", "Die Rente ist sicher")
    copy = make_doc("other-id", "Olaf Scholz", "Die Rente ist sicher")  # same text, no URL
    first = store.add_documents([doc])
    second = store.add_documents([doc, copy])
    assert (first.stored, second.stored, second.duplicate) == (1, 0, 2)
    assert store.stats().articles == 1 and store.stats().quotations == 1


def test_url_identifies_an_article_before_its_text(store):
    a = make_doc("a1", "Olaf Scholz", "Eins", url="https://example.org/1")
    edited = make_doc("a1-v2", "Olaf Scholz", "Eins, korrigiert", url="https://example.org/1")
    syndicated = make_doc("a2", "Olaf Scholz", "Eins", url="https://example.org/2")
    summary = store.add_documents([a, edited, syndicated])
    assert (summary.stored, summary.duplicate) == (2, 1)


def test_reused_id_with_other_text_fails_alone(store):
    summary = store.add_documents(
        [
            make_doc("a1", "Olaf Scholz", "Eins"),
            make_doc("a1", "Olaf Scholz", "Zwei"),
            make_doc("a2", "Olaf Scholz", "Drei"),
        ]
    )
    assert summary.stored == 2
    [failed] = summary.failed
    assert failed.doc_id == "a1" and "duplicate id" in failed.message


def test_rejected_document_leaves_no_half_written_rows(store):
    good = make_doc("good", "Olaf Scholz", "Eins")
    bad = make_doc("bad", "Friedrich Merz", "Zwei")
    bad.quotations.append(bad.quotations[0])  # two quotations with the same id: the database refuses it
    summary = store.add_documents([good, bad])
    assert summary.stored == 1 and [f.doc_id for f in summary.failed] == ["bad"]
    assert store.article("bad") is None
    assert store.db.execute("SELECT count(*) AS n FROM quotations WHERE article_id = ?", ["bad"])[0]["n"] == 0
    assert store.article("good") is not None


def test_hostile_article_text_is_stored_as_data(store):
    doc = make_doc("evil", HOSTILE, HOSTILE, source=HOSTILE)
    doc.id = HOSTILE
    assert store.add_documents([doc]).stored == 1
    [hit] = store.search(query="DROP TABLE")
    assert hit.article_id == HOSTILE and hit.source == HOSTILE
    assert store.stats().articles == 1


def test_full_text_finds_words_phrases_and_prefixes(filled):
    def ids(**kw):
        return sorted(h.article_id for h in filled.search(**kw))

    assert ids(query="rente") == ["a1", "a3"]
    assert ids(query='"Rente ist"') == ["a1"]
    assert ids(query='"ist Rente"') == []
    assert ids(query="Wachs*") == ["a2"]
    assert ids(query="rente sicher") == ["a1"]
    assert ids(query="Scholz") == ["a1"]  # the speaker mention is searched too


def test_filters_combine(filled):
    def ids(**kw):
        return sorted(h.article_id for h in filled.search(SearchFilters(**kw)))

    assert ids(type="Indirect") == ["a3"]
    assert ids(source="taz") == ["a1", "a3"]
    assert ids(date_from="2024-02-01") == ["a2", "a3"]
    assert ids(date_from="2024-02-01", date_to="2024-03-05") == ["a2"]
    assert ids(speaker="merz") == ["a2"]
    assert ids(query="rente", source="taz", type="Direct") == ["a1"]
    assert filled.count(SearchFilters(source="taz")) == 2


def test_search_orders_newest_first_and_pages(filled):
    assert [h.article_id for h in filled.search(limit=2)] == ["a3", "a2"]
    assert [h.article_id for h in filled.search(limit=2, offset=2)] == ["a1"]


def test_iter_quotations_streams_every_hit_with_parts(filled):
    hits = list(filled.iter_quotations(page=2))
    assert sorted(h.article_id for h in hits) == ["a1", "a2", "a3"]
    assert all(h.parts["cue"][0].text == "sagte" for h in hits)


def test_articles_list_and_full_text(filled):
    assert [a.id for a in filled.articles()] == ["a3", "a2", "a1"]
    assert [a.id for a in filled.articles("Wachstum")] == ["a2"]
    assert filled.articles(source="FAZ")[0].quotation_count == 1
    assert filled.sources() == [("taz", 2), ("FAZ", 1)]


def test_reopening_keeps_data_and_schema_version(store_url):
    with open_store(store_url) as store:
        store.add_documents([make_doc("a1", "Olaf Scholz", "Eins")])
        version = store.schema_version
    with open_store(store_url) as store:
        assert store.schema_version == version >= 1
        assert store.stats().articles == 1
        applied = store.db.execute("SELECT count(*) AS n FROM schema_migrations")[0]["n"]
        assert applied == version


def test_reanalysis_replaces_quotations(filled):
    doc = filled.article("a1")
    doc.quotations[0].type = "Reported"
    filled.replace_analysis([doc], model="test")
    assert [h.type for h in filled.search(article="a1")] == ["Reported"]
    assert filled.stats().quotations == 3


# ---- ingest (read → language check → analyse → store) and speakers, with the real rules pipeline ---------

#: The repository's own example articles: one text file (Katrin Vogt, Jonas Albrecht, the Handelskammer, ...)
#: and a JSON-lines file of three (windpark-hagenau with Frank Ullrich and Renate Kühn, museum-lindenau with
#: Eva Lindner and Ralf Schubert, schule-ganztag).
HAFENBRUECKE = settings.EXAMPLES_DIR / "01_hafenbruecke.txt"
THREE_ARTICLES = settings.EXAMPLES_DIR / "articles.jsonl"
ENGLISH = (
    "The minister said on Monday that the bridge would be repaired by the autumn. "
    '"We have waited long enough," he told reporters at the town hall.'
)


def cli(*args: str):
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_ingest_reports_every_outcome_and_goes_on(tmp_path, store_url):
    sample_text = HAFENBRUECKE.read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "sample.txt").write_text(sample_text, encoding="utf-8")
    (folder / "english.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02")
    (folder / "dump.jsonl").write_text(
        "\n".join(
            [
                json.dumps({"id": "hostile", "text": f'Der Sprecher sagte: "{HOSTILE}" Das sei alles.'}),
                "{not json",
                json.dumps({"id": "hostile", "text": "Ein anderer Text mit derselben id, sagte er."}),
                json.dumps({"id": "copy", "text": sample_text.split("\n", 1)[1]}),
            ]
        ),
        encoding="utf-8",
    )
    with open_store(store_url) as store:
        report = ingest(store, [str(folder)], extractor="rules", batch_size=2)
        assert store.stats().articles == report.stored == 3
        assert sorted((a.id, a.quotation_count) for a in store.articles()) == [
            ("copy", 13),
            ("hostile", 1),
            ("sample", 13),
        ]
        [hostile] = store.article("hostile").quotations
        assert (hostile.type, hostile.quote[0].text, hostile.speaker[0].text) == (
            "Direct",
            f'"{HOSTILE}"',
            "Der Sprecher",
        )
    assert report.articles == ["hostile", "copy", "sample"]
    assert (report.duplicate, report.quotations, report.speakers) == (0, 27, 5)
    assert report.skipped == ["english: language en"]
    assert report.failed == [
        f"{folder / 'binary.txt'}: binary file (contains NUL bytes), not text",
        f"{folder / 'dump.jsonl'}:2: malformed JSON (Expecting property name enclosed in double quotes at column 2)",
        f"{folder / 'dump.jsonl'}:3: article hostile: duplicate id 'hostile': "
        "another article with a different text has it",
    ]
    with open_store(store_url) as store:
        again = ingest(store, [str(folder)], extractor="rules")
    assert (again.stored, again.duplicate) == (0, 3)


def test_ingest_command_shows_quotations_store_and_a_search(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WORTLAUT_DB", raising=False)
    code, output = cli("ingest", str(HAFENBRUECKE), "--extractor", "rules", "--show")
    assert code == 0, output
    assert (
        "1 stored, 0 skipped as duplicate, 0 skipped as not German, 0 failed; 13 quotations by 4 speakers stored"
        in " ".join(output.split())
    )
    assert "Lindenau saniert die Hafenbrücke für 14 Millionen Euro (2025-03-12)" in output
    table_types = [row.split("│")[1].strip() for row in output.splitlines() if row.startswith("│")]
    assert [t for t in table_types if t] == [
        "Direct",
        "IndirectFreeIndirect",
        "Indirect",
        "Indirect",
        "FreeIndirect",
        "Indirect",
        "Direct",
        "IndirectFreeIndirect",
        "Reported",
        "Indirect",
        "Indirect",
        "Indirect",
        "Direct",
    ]
    assert str(tmp_path / "wortlaut.sqlite") in output.replace("\n", "")
    assert "  wortlaut search --speaker 'Katrin Vogt'\n" in output
    code, output = cli("search", "--speaker", "Vogt", "--type", "direct", "--format", "jsonl")
    assert code == 0, output
    rows = [json.loads(line) for line in output.splitlines()]
    assert [(r["quotation_id"], r["type"], r["speaker"], r["entity_id"], r["quote"]) for r in rows] == [
        ("q13", "Direct", "sie", "person:katrin-vogt", "„Niemand soll von einer Umleitung überrascht werden“"),
        (
            "q1",
            "Direct",
            "Oberbürgermeisterin Katrin Vogt",
            "person:katrin-vogt",
            "„Wir können uns einen Neubau schlicht nicht leisten“",
        ),
    ]
    code, output = cli("search", "--from", "05.09.2025")
    assert code == 2 and "expected a date" in output


def test_huge_article_is_analysed_piecewise(tmp_path):
    """A 2 MB article (one quotation per 900 characters, like news): stored whole, quotations found all
    through it, with offsets into the whole text."""
    quote = (
        "Die Bundesregierung erklärte: „Die Verhandlungen über Sicherheitsgarantien verlaufen "
        "außerordentlich konstruktiv.“ Oppositionspolitiker widersprachen entschieden."
    )
    plain = (
        "Unterdessen beschäftigten sich zahlreiche Ausschüsse mit Haushaltsfragen, Infrastrukturprojekten "
        "und Gesundheitsversorgung, während Wirtschaftsverbände Investitionsprogramme forderten."
    )
    blocks = 2300
    text = "\n\n".join(["\n\n".join([quote] + [plain] * 4)] * blocks)
    assert len(text) > 2_000_000
    jsonl = tmp_path / "huge.jsonl"
    jsonl.write_text(json.dumps({"id": "huge", "text": text}, ensure_ascii=False), encoding="utf-8")
    with open_store(str(tmp_path / "store.sqlite")) as store:
        report = ingest(store, [str(jsonl)], extractor="rules")
        assert report.stored == 1 and "analysed piece by piece" in report.notes[0]
        doc = store.article("huge")
    assert doc.text == text
    assert len({q.id for q in doc.quotations}) == len(doc.quotations) == blocks
    assert doc.quotations[-1].start > len(text) - 1000
    for q in doc.quotations:
        assert all(text[s.start : s.end] == s.text for part in ("quote", "speaker", "cue") for s in q.part(part))


#: Who speaks in articles.jsonl after merging Ralf Schubert into Eva Lindner and splitting "Ullrich" off Frank
#: Ullrich: the mention "Ullrich" moves alone; the full name and the pronoun after it stay with Frank Ullrich.
CORRECTED_SPEAKERS = {
    ("museum-lindenau", "Museumsleiterin Dr. Eva Lindner"): {"person:eva-lindner"},
    ("museum-lindenau", "Kulturdezernent Ralf Schubert"): {"person:eva-lindner"},
    ("museum-lindenau", "er"): {"person:eva-lindner"},
    ("windpark-hagenau", "Ullrich"): {"person:ullrich"},
    ("windpark-hagenau", "Bürgermeister Frank Ullrich"): {"person:frank-ullrich"},
    ("windpark-hagenau", "er"): {"person:frank-ullrich"},
}


def test_manual_merge_and_split_survive_reanalysis_and_so_do_their_undos(store_url):
    with open_store(store_url) as store:
        ingest(store, [str(THREE_ARTICLES)], extractor="rules")
        store.add_user("maria", "admin", "lange genug 123")

        def speakers() -> dict[tuple[str, str], set[str]]:
            out: dict[tuple[str, str], set[str]] = {}
            for hit in store.search(limit=1000):
                out.setdefault((hit.article_id, hit.speaker), set()).add(hit.entity_id)
            return out

        machine = speakers()
        kept = store.merge_entities("person:eva-lindner", "person:ralf-schubert", reviewer="maria")
        assert kept == "person:eva-lindner"
        ullrich = store.split_alias("Ullrich", reviewer="maria")
        assert ullrich == "person:ullrich"
        assert store.entity("person:ralf-schubert") is None
        assert store.entity("person:eva-lindner").manual_aliases == ["ralf schubert"]

        corrected = speakers()
        assert {key: corrected[key] for key in CORRECTED_SPEAKERS} == CORRECTED_SPEAKERS
        reanalysed = reanalyze(store, extractor="rules")
        assert (reanalysed.stored, reanalysed.failed) == (3, [])
        assert speakers() == corrected
        [merge] = store.entity_history("person:eva-lindner")
        [split] = store.entity_history("person:frank-ullrich")
        assert store.entity_history("person:ullrich") == [split]

        store.undo(merge.id, reviewer="maria")
        store.undo(split.id, reviewer="maria")
        assert store.entity("person:ullrich") is None
        assert store.entity("person:ralf-schubert").name == "Ralf Schubert"
        assert speakers() == machine
        reanalysed = reanalyze(store, extractor="rules")
        assert (reanalysed.stored, reanalysed.failed) == (3, [])
        assert speakers() == machine
        assert [c.action for c in store.entity_history("person:ralf-schubert")] == ["merge", "undo"]


def test_speakers_commands(tmp_path):
    db = str(tmp_path / "s.sqlite")
    assert cli("ingest", str(THREE_ARTICLES), "--extractor", "rules", "--db", db)[0] == 0
    with open_store(db) as store:
        store.add_user("maria", "admin", "lange genug 123")
    machine = cli("speakers", "--db", db, "--format", "jsonl")
    code, output = cli("speakers", "--db", db, "--query", "ull")
    assert code == 0 and "1 speakers" in output and "│ person:frank-ullrich │ Frank Ullrich " in output
    code, output = cli("speakers", "merge", "Frank Ullrich", "Renate Kühn", "--as", "maria", "--db", db)
    assert (code, output) == (0, "merged into person:frank-ullrich (6 quotations)\n")
    code, output = cli("speakers", "merge", "Frank Ullrich", "Niemand", "--as", "maria", "--db", db)
    assert (code, output) == (1, "error: 'Niemand' names no entity; use an entity id\n")
    code, output = cli("speakers", "split", "Ullrich", "--as", "maria", "--db", db)
    assert (code, output) == (0, "new speaker person:ullrich (1 quotations)\n")
    code, output = cli("speakers", "--db", db, "--query", "ull", "--format", "jsonl")
    found = [json.loads(line) for line in output.splitlines()]
    assert [(e["id"], e["quotation_count"], e["aliases"], e["manual_aliases"]) for e in found] == [
        ("person:frank-ullrich", 5, ["frank ullrich"], ["renate kuehn"]),
        ("person:ullrich", 1, [], ["ullrich"]),
    ]
    code, output = cli("speakers", "history", "person:frank-ullrich", "--db", db)
    merge, split = [line for line in output.splitlines() if line.startswith("correction ")]
    assert code == 0 and "merge by maria" in merge and "split by maria" in split and "2 changes" in output
    merge_number = merge.split(":")[0].removeprefix("correction ")
    code, output = cli("review", "undo", merge_number, "--as", "maria", "--db", db)
    assert code == 1 and "cannot be undone: the speaker was changed since (split by maria" in output
    split_number = split.split(":")[0].removeprefix("correction ")
    assert cli("review", "undo", split_number, "--as", "maria", "--db", db)[0] == 0
    assert cli("review", "undo", merge_number, "--as", "maria", "--db", db)[0] == 0
    assert cli("speakers", "--db", db, "--format", "jsonl") == machine, "both undone: the speakers as ingested"
