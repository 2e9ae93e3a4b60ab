"""Store tests, each run against SQLite and a real PostgreSQL server (see conftest.store_url)."""

from __future__ import annotations

import json
from pathlib import Path

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

SAMPLE = settings.SHARED_DIR / "samples" / "000_38b19e2b774f7155.txt"
ENGLISH = (
    "The minister said on Monday that the bridge would be repaired by the autumn. "
    '"We have waited long enough," he told reporters at the town hall.'
)


def cli(*args: str):
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_ingest_reports_every_outcome_and_goes_on(tmp_path, store_url):
    sample_text = SAMPLE.read_text(encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "sample.txt").write_text(sample_text, encoding="utf-8")
    (tmp_path / "in" / "english.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "in" / "binary.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "in" / "dump.jsonl").write_text(
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
        report = ingest(store, [str(tmp_path / "in")], extractor="rules", batch_size=2)
        assert store.stats().articles == report.stored == 3
        assert store.article("hostile").quotations
    assert report.duplicate == 0
    assert [s.split(":")[0] for s in report.skipped] == ["english"]
    failures = "\n".join(report.failed)
    assert "binary.txt: binary file" in failures
    assert "dump.jsonl:2: malformed JSON" in failures
    assert "duplicate id 'hostile'" in failures
    with open_store(store_url) as store:
        again = ingest(store, [str(tmp_path / "in")], extractor="rules")
    assert (again.stored, again.duplicate) == (0, 3)


def test_ingest_command_shows_quotations_store_and_a_search(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WORTLAUT_DB", raising=False)
    code, output = cli("ingest", str(SAMPLE), "--extractor", "rules", "--show")
    assert code == 0, output
    assert "1 stored, 0 skipped as duplicate" in " ".join(output.split())
    assert "Macron" in output and "Ukraine-Krieg" in output
    assert str(tmp_path / "wortlaut.sqlite") in output.replace("\n", "")
    assert "wortlaut search --speaker" in output
    code, output = cli("search", "--speaker", "Macron", "--type", "direct", "--format", "jsonl")
    rows = [json.loads(line) for line in output.splitlines()]
    assert code == 0 and rows and all(r["type"] == "Direct" and "Macron" in r["speaker"] for r in rows)
    code, output = cli("search", "--from", "05.09.2025")
    assert code == 2 and "expected a date" in output


@pytest.mark.slow
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


def test_manual_merge_and_split_survive_reanalysis(store_url):
    with open_store(store_url) as store:
        ingest(store, [str(SAMPLE)], extractor="rules")
        assert store.merge_entities("person:macron", "person:merz") == "person:macron"
        moskau = store.split_alias("Moskau")
        assert store.entity("person:merz") is None
        assert "merz" in store.entity("person:macron").manual_aliases

        def speakers() -> dict[str, set[str]]:
            out: dict[str, set[str]] = {}
            for hit in store.search(limit=1000):
                out.setdefault(hit.speaker, set()).add(hit.entity_id)
            return out

        before = speakers()
        assert before["Merz"] == {"person:macron"} and before["Moskau"] == {moskau}
        assert before["Die russische Regierung"] != {moskau}
        reanalysed = reanalyze(store, extractor="rules")
        assert reanalysed.stored == 1 and not reanalysed.failed
        assert speakers() == before


def test_speakers_commands(tmp_path):
    db = str(tmp_path / "s.sqlite")
    assert cli("ingest", str(SAMPLE), "--extractor", "rules", "--db", db)[0] == 0
    code, output = cli("speakers", "--db", db, "--query", "sacha")
    assert code == 0 and "Sacharowa" in output and "Macron" not in output
    code, output = cli("speakers", "merge", "Macron", "Selenskyj", "--db", db)
    assert code == 0 and "merged into person:macron" in output
    code, output = cli("speakers", "merge", "Macron", "Niemand", "--db", db)
    assert code == 1 and "'Niemand' names no entity" in output
    code, output = cli("speakers", "split", "Selenskyj", "--db", db)
    assert code == 0 and "new speaker" in output
