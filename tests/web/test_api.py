"""The JSON API under /api: shapes, filters, clear 4xx errors, fuzzing with schemathesis, the store
aggregates behind the speaker and network pages on SQLite and PostgreSQL; and the library's analyze_many
with worker processes.

The store is filled with hand-made analysed Documents so these tests do not depend on the extractor.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, assume, given, settings

from wortlaut.document import Document, Entity, Quotation, Span
from wortlaut.store import QueryError, Store, open_store, parse_query
from wortlaut.web.app import create_app

HOSTILE_TEXT = (
    "Warnung <script>window.__xss = 1</script> & &amp; &lt;b&gt; \"doppelt\" 'einfach' "
    '<img src=x onerror="window.__xss = 2">, sagte Eva Roth.'
)


def span(text: str, needle: str, after: int = 0) -> Span:
    """The span of `needle` in `text` (first occurrence at or after `after`)."""
    start = text.index(needle, after)
    return Span(start, start + len(needle), needle)


def berg_documents() -> list[Document]:
    """Two articles: Anna Berg speaks to MPs; a spokesman reports what Berg said (a nested quotation)."""
    berg = Entity("person:anna-berg", "Anna Berg", "person", ["role:Ministerin"], ["Berg"])
    one = 'Die Lage sei ernst, sagte Ministerin Anna Berg den Abgeordneten. "Wir handeln jetzt", fügte sie hinzu.'
    first = Document(
        text=one,
        id="berg-1",
        title="Berg warnt",
        date="2024-03-01",
        source="Tagesblatt",
        quotations=[
            Quotation(
                "q1",
                "Indirect",
                "Speech",
                quote=[span(one, "Die Lage sei ernst")],
                cue=[span(one, "sagte")],
                speaker=[span(one, "Ministerin Anna Berg")],
                addressee=[span(one, "den Abgeordneten")],
                frame=[span(one, "sagte Ministerin Anna Berg den Abgeordneten")],
                speaker_entity=berg,
            ),
            Quotation(
                "q2",
                "Direct",
                "Speech",
                quote=[span(one, '"Wir handeln jetzt"')],
                cue=[span(one, "fügte")],
                speaker=[span(one, "sie")],
                speaker_entity=berg,
            ),
        ],
        entities=[berg],
    )
    two = "Ein Sprecher sagte, Berg habe erklärt, man werde prüfen."
    spokesman = Entity("anonymous:sprecher", "Sprecher", "anonymous")
    second = Document(
        text=two,
        id="berg-2",
        title="Prüfung angekündigt",
        date="2023-05-10",
        source="Abendpost",
        quotations=[
            Quotation(
                "q1",
                "Indirect",
                "Speech",
                quote=[span(two, "Berg habe erklärt, man werde prüfen")],
                cue=[span(two, "sagte")],
                speaker=[span(two, "Ein Sprecher")],
                speaker_entity=spokesman,
            ),
            Quotation(
                "q2",
                "Indirect",
                "Speech",
                quote=[span(two, "man werde prüfen")],
                cue=[span(two, "erklärt")],
                speaker=[span(two, "Berg")],
                speaker_entity=berg,
                nested_in="q1",
            ),
        ],
        entities=[berg, spokesman],
    )
    return [first, second]


def hostile_document() -> Document:
    """Markup, entities and quote marks in the text and inside a quotation: all of it must show as text."""
    roth = Entity("person:eva-roth", "Eva Roth", "person")
    quote = span(HOSTILE_TEXT, "Warnung <script>window.__xss = 1</script>")
    return Document(
        text=HOSTILE_TEXT,
        id="hostile",
        title="<b>Markup</b> im Titel",
        date="2024-06-01",
        source="Tagesblatt",
        quotations=[
            Quotation(
                "q1",
                "Indirect",
                "Speech",
                quote=[quote],
                cue=[span(HOSTILE_TEXT, "sagte")],
                speaker=[span(HOSTILE_TEXT, "Eva Roth")],
                speaker_entity=roth,
            )
        ],
        entities=[roth],
    )


def fill(store: Store) -> Store:
    summary = store.add_documents([*berg_documents(), hostile_document()])
    assert summary.stored == 3, summary
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with open_store(str(tmp_path_factory.mktemp("api") / "api.sqlite")) as opened:
        yield fill(opened)


@pytest.fixture(scope="module")
def client(store: Store) -> TestClient:
    return TestClient(create_app(store))


def entity_id(store: Store, name: str) -> str:
    [entity] = [e for e in store.entities(name) if e.name == name]
    return entity.id


def test_article_spans_index_the_text(client: TestClient) -> None:
    body = client.get("/api/articles/berg-1").json()
    assert body["title"] == "Berg warnt" and len(body["quotations"]) == 2
    for quotation in body["quotations"]:
        for part in ("quote", "speaker", "cue", "frame", "addressee"):
            for s in quotation[part]:
                assert body["text"][s["start"] : s["end"]] == s["text"]
    first = body["quotations"][0]
    assert first["speaker_entity"]["name"] == "Anna Berg"
    assert [s["text"] for s in first["addressee"]] == ["den Abgeordneten"]


def test_search_filters_combine(client: TestClient) -> None:
    everything = client.get("/api/quotations").json()
    assert everything["total"] == 5 and everything["pages"] == 1
    direct = client.get("/api/quotations", params={"type": "Direct"}).json()
    assert [h["quote"] for h in direct["items"]] == ['"Wir handeln jetzt"']
    in_2023 = client.get("/api/quotations", params={"since": "2023-01-01", "until": "2023-12-31"}).json()
    assert {h["article_id"] for h in in_2023["items"]} == {"berg-2"}
    by_source = client.get("/api/quotations", params={"source": "Abendpost", "speaker": "Berg"}).json()
    assert [h["quote"] for h in by_source["items"]] == ["man werde prüfen"]
    none = client.get("/api/quotations", params={"medium": "Writing"}).json()
    assert none["total"] == 0 and none["items"] == []
    text = client.get("/api/quotations", params={"q": "Lage ernst"}).json()
    assert [h["quote"] for h in text["items"]] == ["Die Lage sei ernst"]


def test_paging_is_consistent(client: TestClient) -> None:
    pages = [client.get("/api/quotations", params={"per_page": 2, "page": n}).json() for n in (1, 2, 3)]
    assert [p["pages"] for p in pages] == [3, 3, 3]
    seen = [(h["article_id"], h["quotation_id"]) for p in pages for h in p["items"]]
    assert len(seen) == 5 == len(set(seen))


def test_speaker_profile(client: TestClient, store: Store) -> None:
    body = client.get(f"/api/speakers/{entity_id(store, 'Anna Berg')}").json()
    assert body["quotation_count"] == 3
    assert {c["key"]: c["count"] for c in body["types"]} == {"Indirect": 2, "Direct": 1}
    assert body["addressees"] == [{"key": "den Abgeordneten", "count": 1}]
    assert "berg" in body["aliases"] and "role:Ministerin" in body["descriptors"]
    timeline = {c["key"]: c["count"] for c in body["timeline"]}
    assert timeline["2023-05"] == 1 and timeline["2024-03"] == 2 and timeline["2023-12"] == 0


def test_network_edges(client: TestClient) -> None:
    body = client.get("/api/network").json()
    label = {n["id"]: n["label"] for n in body["nodes"]}
    edges = {(link["kind"], label[link["source"]], label[link["target"]]) for link in body["links"]}
    assert ("quotes", "Sprecher", "Anna Berg") in edges
    assert ("addresses", "Anna Berg", "den Abgeordneten") in edges
    assert ("reports", "Abendpost", "Anna Berg") in edges
    only = client.get("/api/network", params={"kind": "reports", "min_weight": 2}).json()
    assert [(link["kind"], label[link["source"]], link["weight"]) for link in only["links"]] == [
        ("reports", "Tagesblatt", 2)
    ]


@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        ("/api/articles/no-such-article", 404, "no article with id 'no-such-article'"),
        ("/api/speakers/no-such-speaker", 404, "no speaker with id 'no-such-speaker'"),
        ("/api/quotations?page=99", 404, "page 99 is past the last page (1)"),
        ("/api/quotations?since=2024-13-01", 422, "valid date"),
        ("/api/quotations?since=yesterday", 422, "valid date"),
        ("/api/quotations?type=Shouted", 422, "'Direct', 'Indirect'"),
        ("/api/quotations?since=2024-02-01&until=2024-01-01", 422, "until (2024-01-01) is before since (2024-02-01)"),
        ("/api/quotations?per_page=1000", 422, "less than or equal to 100"),
        ("/api/quotations?page=0", 422, "greater than or equal to 1"),
        ("/api/network?kind=likes", 422, "pattern"),
    ],
)
def test_bad_requests_get_clear_errors(client: TestClient, url: str, status: int, says: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert says in response.text


def test_pages_show_errors_as_html(client: TestClient) -> None:
    response = client.get("/search?since=not-a-date")
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/html")
    assert "since: Input should be a valid date" in response.text
    missing = client.get("/articles/nope")
    assert missing.status_code == 404 and "Kein Artikel mit der ID „nope“." in missing.text


def test_empty_form_fields_mean_no_filter(client: TestClient) -> None:
    response = client.get("/search?q=&speaker=&type=&since=&until=&source=")
    assert response.status_code == 200 and "5 Zitate gefunden" in response.text


def test_hostile_text_is_escaped_in_html(client: TestClient) -> None:
    page = client.get("/articles/hostile").text
    assert "<script>window.__xss" not in page and "<img src=x" not in page and "<b>Markup" not in page
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in page
    assert "&amp;amp;" in page and "&lt;b&gt;Markup&lt;/b&gt;" in page
    policy = client.get("/articles/hostile").headers["content-security-policy"]
    assert "script-src 'self';" in policy and "default-src 'self'" in policy


def test_search_page_marks_the_searched_words_safely(client: TestClient) -> None:
    lage = client.get("/search", params={"q": "lage"}).text
    assert "Die <mark>Lage</mark> sei ernst" in lage
    script = client.get("/search", params={"q": "script"}).text
    assert "Warnung &lt;<mark>script</mark>&gt;window.__xss = 1&lt;/<mark>script</mark>&gt;" in script


def test_docs_are_served_locally(client: TestClient) -> None:
    docs = client.get("/docs").text
    assert "/static/swagger-ui-bundle.js" in docs and "/static/swagger-ui.css" in docs
    assert "cdn" not in docs.lower()
    assert client.get("/static/swagger-ui-bundle.js").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    reads = [path for path, methods in paths.items() if "get" in methods]
    writes = [path for path, methods in paths.items() if set(methods) - {"get"}]
    assert sorted(reads) == sorted(API_PATHS), "every read route is fuzzed, and pages stay out of the schema"
    assert writes == WRITE_PATHS, "write routes are tested for sign-in and CSRF in test_review_web.py"


API_PATHS = [
    "/api/quotations",
    "/api/articles",
    "/api/articles/{article_id}",
    "/api/speakers",
    "/api/speakers/{entity_id}",
    "/api/network",
    "/api/dashboard",
    "/api/outlets",
    "/api/outlets/compare",
    "/api/outlets/{outlet}",
    "/api/balance",
    "/api/download/quotations",
    "/api/download/speakers",
]
WRITE_PATHS = ["/api/corrections"]


@pytest.fixture(scope="module")
def api_schema(client: TestClient) -> schemathesis.schemas.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", client.app)


def readable_query(text: str) -> bool:
    try:
        parse_query(text)
    except QueryError:
        return False
    return True


@pytest.mark.parametrize("path", API_PATHS)
def test_api_fuzz(api_schema: schemathesis.schemas.BaseSchema, path: str) -> None:
    """Random valid requests, in process: never a 5xx, always a response matching the documented schema."""

    @given(case=api_schema[path]["GET"].as_strategy())
    @settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        query = case.query or {}
        # The one rule the schema cannot state (a range that ends before it starts) has its own test above.
        assume(not (query.get("since") and query.get("until") and str(query["since"]) > str(query["until"])))
        assume(not query.get("q") or readable_query(str(query["q"])))  # the query language has its own tests
        case.call_and_validate()

    check()


def test_store_aggregates_on_both_backends(store_url: str) -> None:
    """The speaker-profile and network queries give the same answers on SQLite and PostgreSQL."""
    with open_store(store_url) as fresh:
        fill(fresh)
        berg = entity_id(fresh, "Anna Berg")
        profile = fresh.entity_profile(berg)
        assert profile.types == [("Indirect", 2), ("Direct", 1)]
        assert profile.media == [("Speech", 3)]
        assert profile.addressees == [("den Abgeordneten", 1)]
        assert profile.dates == [("2023-05-10", 1), ("2024-03-01", 2)]
        edges = {(e.kind, e.source.label, e.target.label, e.weight) for e in fresh.network()}
        assert ("quotes", "Sprecher", "Anna Berg", 1) in edges
        assert ("reports", "Tagesblatt", "Anna Berg", 2) in edges
        assert fresh.count_entities() == 3 and fresh.count_entities("berg") == 1


def test_hostile_quote_is_stored_verbatim(client: TestClient) -> None:
    body = client.get("/api/articles/hostile").json()
    assert body["text"] == HOSTILE_TEXT
    assert body["quotations"][0]["quote"][0]["text"] == "Warnung <script>window.__xss = 1</script>"


# analyze_many with a pool of worker processes: the same Documents, in the same order, as in-process.
PARALLEL_TEXTS = [
    "„Wir geben nicht auf“, sagte die Bürgermeisterin am Abend.",
    "Der Trainer erklärte, die Mannschaft sei müde. Er hoffe auf Regen.",
    "Nach Angaben der Polizei wurde niemand verletzt.",
    "Sie schrieb, sie werde das Amt abgeben. „Es ist Zeit“, fügte sie hinzu.",
    "Ein Sprecher sagte, man prüfe den Vorgang.",
    "Kein Zitat hier, nur Wetter: Sonne.",
    "„Später“, rief er.",
]


def parallel_docs() -> list[Document]:
    return [Document(text=text, id=f"doc-{n}") for n, text in enumerate(PARALLEL_TEXTS)]


def test_parallel_analyze_many_matches_in_process() -> None:
    from wortlaut.api import analyze_many

    alone = [doc.to_json() for doc in analyze_many(parallel_docs(), extractor="rules", workers=1)]
    pooled = [doc.to_json() for doc in analyze_many(parallel_docs(), extractor="rules", workers=2)]
    assert [doc["id"] for doc in pooled] == [f"doc-{n}" for n in range(len(PARALLEL_TEXTS))]
    assert any(doc["quotations"] for doc in pooled)
    assert pooled == alone


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_document_stops_the_stream_after_the_ones_before(workers: int) -> None:
    from wortlaut.api import analyze_many

    docs = parallel_docs()
    docs.insert(3, Document(text=None, id="broken"))  # type: ignore[arg-type]
    seen: list[str | None] = []
    with pytest.raises(TypeError):
        for doc in analyze_many(docs, extractor="rules", workers=workers):
            seen.append(doc.id)
    assert seen == ["doc-0", "doc-1", "doc-2"]


PARALLEL_AFTER_WARM_PARENT = """
import json
from wortlaut.api import analyze, analyze_many
from wortlaut.document import Document
analyze("Der Minister sagte, er sei zufrieden.")  # the parent runs every model stage before the pool forks
texts = json.loads(input())
docs = lambda: [Document(text=t, id=str(n)) for n, t in enumerate(texts)]
alone = [d.to_json() for d in analyze_many(docs(), workers=1)]
pooled = [d.to_json() for d in analyze_many(docs(), workers=2)]
print(json.dumps(pooled == alone and any(d["quotations"] for d in pooled)))
"""


def test_default_model_runs_in_forked_workers_after_the_parent_used_it() -> None:
    """Forked workers inherit the parent's state: nothing the model loads (e.g. an OpenMP thread pool, which
    deadlocks after fork) may stall them. A hang fails here through the timeout instead of blocking the run."""
    import json
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", PARALLEL_AFTER_WARM_PARENT],
        input=json.dumps(PARALLEL_TEXTS),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert out.stdout.strip().splitlines()[-1] == "true"


def test_search_filters_by_confidence_and_review_state(tmp_path: Path) -> None:
    docs = berg_documents()
    docs[0].quotations[0].confidence = 0.4
    with open_store(str(tmp_path / "conf.sqlite")) as store:
        store.add_documents(docs)
        local = TestClient(create_app(store))
        everything = local.get("/api/quotations", params={"per_page": 100}).json()
        sure = local.get("/api/quotations", params={"per_page": 100, "min_confidence": 0.9}).json()
        assert everything["total"] - 1 == sure["total"] == 3
        assert sorted(h["confidence"] for h in sure["items"]) == [1.0, 1.0, 1.0]
        assert local.get("/api/quotations", params={"reviewed": "true"}).json()["total"] == 0
        assert local.get("/api/quotations", params={"reviewed": "false"}).json()["total"] == 4
        assert local.get("/api/quotations", params={"min_confidence": 2}).status_code == 422
        assert '<option value="0.75" selected>' in local.get("/search", params={"min_confidence": "0.75"}).text


def test_search_and_speaker_lists_download_whole(client: TestClient) -> None:
    page = client.get("/search", params={"q": "Berg"}).text
    assert 'href="/api/download/quotations?q=Berg&amp;format=csv"' in page
    csv_text = client.get("/api/download/quotations", params={"q": "Berg", "format": "csv"})
    assert csv_text.headers["content-disposition"] == 'attachment; filename="quotations.csv"'
    rows = list(csv.DictReader(io.StringIO(csv_text.text)))
    assert len(rows) == client.get("/api/quotations", params={"q": "Berg"}).json()["total"]
    lines = client.get("/api/download/speakers", params={"format": "jsonl"}).text.splitlines()
    assert [json.loads(line)["name"] for line in lines] == [
        e["name"] for e in client.get("/api/speakers").json()["items"]
    ]
    assert 'href="/api/download/speakers?format=jsonl"' in client.get("/speakers").text
    assert client.get("/api/download/speakers", params={"format": "xlsx"}).status_code == 422
