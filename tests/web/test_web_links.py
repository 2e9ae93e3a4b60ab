"""Links, ids, language and error responses of the web app, in process (the browser tests are in test_web.py).

Any id `ingest` accepts must open and link correctly, so the fixture stores articles and speakers whose ids
hold a slash, a question mark, a hash, a percent sign and non-ASCII letters with a space.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from urllib.parse import quote, urljoin

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from wortlaut.api import Store, open_store
from wortlaut.document import MEDIA, QUOTATION_TYPES, Document, Entity, Quotation, Span
from wortlaut.web import i18n
from wortlaut.web.app import create_app

ODD_IDS = ["a/b", "x?y=1", "h#1", "50%", "ä ö"]
NAMES = ["Anna Weiß", "Bernd Roth", "Clara Vogt", "Dieter Lang", "Eva Sommer"]
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy")


def span(text: str, needle: str) -> Span:
    start = text.index(needle)
    return Span(start, start + len(needle), needle)


def odd_document(n: int) -> Document:
    """Article `ODD_IDS[n]` quoting a speaker whose entity id holds the same characters."""
    name = NAMES[n]
    text = f"„Wir bleiben bei Plan {n}“, sagte {name} am Montag."
    speaker = Entity(f"person:{ODD_IDS[n]}", name, "person")
    quotation = Quotation(
        "q1",
        "Direct",
        "Speech",
        quote=[span(text, f"Wir bleiben bei Plan {n}")],
        cue=[span(text, "sagte")],
        speaker=[span(text, name)],
        speaker_entity=speaker,
    )
    return Document(
        text=text,
        id=ODD_IDS[n],
        title=f"Plan {n}",
        date="2024-05-17",
        source="Tagesblatt",
        quotations=[quotation],
        entities=[speaker],
    )


def odd_documents() -> list[Document]:
    return [odd_document(n) for n in range(len(ODD_IDS))]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with open_store(str(tmp_path_factory.mktemp("links") / "links.sqlite")) as opened:
        assert opened.add_documents(odd_documents()).stored == len(ODD_IDS)
        yield opened


@pytest.fixture
def client(store: Store) -> TestClient:
    """A fresh client per test, so a language cookie from one test does not leak into the next."""
    return TestClient(create_app(store))


def links_in(page: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'(?:href|src|data-src)="([^"]*)"', page)]


def crawl(client: TestClient, start: list[str], depth: int = 2) -> dict[str, int]:
    """Status of every same-site link reachable from `start` within `depth` clicks (fragments dropped)."""
    seen: dict[str, int] = {}
    frontier = start
    for _ in range(depth + 1):
        following = []
        for url in frontier:
            if url in seen:
                continue
            response = client.get(url)
            seen[url] = response.status_code
            if response.headers["content-type"].startswith("text/html"):
                for link in links_in(response.text):
                    target = urljoin(f"http://testserver{url}", link).split("#")[0]
                    if target.startswith("http://testserver/") and "/static/" not in target:
                        following.append(target.removeprefix("http://testserver"))
        frontier = following
    return seen


def test_every_link_from_the_pages_opens(client: TestClient) -> None:
    statuses = crawl(client, ["/", "/search", "/speakers"])
    broken = {url: status for url, status in statuses.items() if status != 200}
    assert not broken
    for article_id in ODD_IDS:
        assert f"/articles/{quote(article_id, safe='')}" in statuses, article_id
        assert f"/speakers/{quote('person:' + article_id, safe='')}" in statuses, article_id


@pytest.mark.parametrize("article_id", ODD_IDS)
def test_odd_ids_open_as_pages_and_in_the_api(client: TestClient, article_id: str) -> None:
    n = ODD_IDS.index(article_id)
    page = client.get(f"/articles/{quote(article_id, safe='')}")
    assert page.status_code == 200 and f"<h1>Plan {n}</h1>" in page.text
    assert client.get(f"/api/articles/{quote(article_id, safe='')}").json()["id"] == article_id
    entity_id = f"person:{article_id}"
    speaker = client.get(f"/speakers/{quote(entity_id, safe='')}")
    assert speaker.status_code == 200 and NAMES[n] in speaker.text
    assert client.get(f"/api/speakers/{quote(entity_id, safe='')}").json()["id"] == entity_id
    search = client.get("/search", params={"entity": entity_id})
    assert f'href="/articles/{quote(article_id, safe="")}#q-q1"' in search.text


def test_network_links_to_speakers_with_encoded_ids(client: TestClient) -> None:
    nodes = client.get("/api/network").json()["nodes"]
    urls = {n["label"]: n["url"] for n in nodes if n["kind"] == "speaker"}
    assert urls == {NAMES[n]: f"/speakers/{quote('person:' + i, safe='')}" for n, i in enumerate(ODD_IDS)}
    assert all(client.get(url).status_code == 200 for url in urls.values())


@pytest.mark.parametrize("path", ["/", "/search", "/speakers", "/network", "/hilfe", "/docs", "/api/network"])
def test_links_never_come_from_the_host_header(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Host": "evil.example"})
    assert response.status_code == 200 and "evil.example" not in response.text


def test_a_configured_base_url_starts_every_link(store: Store) -> None:
    client = TestClient(create_app(store, base_url="https://wortlaut.example.org/app/"))
    page = client.get("/", headers={"Host": "evil.example"}).text
    assert 'href="https://wortlaut.example.org/app/articles/a%2Fb"' in page
    assert 'href="https://wortlaut.example.org/app/static/style.css"' in page
    own = [link for link in links_in(page) if link.startswith("/")]
    assert not own, own


@pytest.fixture
def crashing_app(store: Store) -> FastAPI:
    app = create_app(store)

    def crash() -> None:
        raise RuntimeError("secret detail from deep inside")

    app.add_api_route("/boom", crash)
    app.add_api_route("/api/boom", crash)
    return app


@pytest.mark.parametrize(("path", "kind"), [("/boom", "text/html"), ("/api/boom", "application/json")])
def test_a_crash_carries_the_security_headers(crashing_app: FastAPI, path: str, kind: str) -> None:
    response = TestClient(crashing_app, raise_server_exceptions=False).get(path)
    assert response.status_code == 500 and response.headers["content-type"].startswith(kind)
    for header in SECURITY_HEADERS:
        assert header in response.headers, header
    assert "secret detail" not in response.text


@pytest.mark.parametrize("path", ["/", "/articles/nope", "/search?since=never", "/api/articles/nope", "/nowhere"])
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    for header in SECURITY_HEADERS:
        assert header in response.headers, (path, header)


def test_german_by_default_english_on_request_and_remembered(client: TestClient) -> None:
    german = client.get("/")
    assert '<html lang="de">' in german.text and ">Suche</a>" in german.text
    assert "17.05.2024" in german.text and "Zitat (" not in german.text
    english = client.get("/", params={"lang": "en"})
    assert '<html lang="en">' in english.text and ">Search</a>" in english.text and "17 May 2024" in english.text
    assert english.headers["content-language"] == "en"
    later = client.get(f"/articles/{quote('a/b', safe='')}")
    assert '<html lang="en">' in later.text and "All quotations" in later.text
    assert 'href="?lang=de"' in later.text
    back = client.get("/speakers", params={"lang": "de"})
    assert '<html lang="de">' in back.text and client.cookies.get(i18n.COOKIE) == "de"


def test_an_unknown_language_falls_back_to_german(client: TestClient) -> None:
    assert '<html lang="de">' in client.get("/", params={"lang": "fr"}).text
    assert i18n.COOKIE not in client.cookies


def test_both_catalogues_say_everything() -> None:
    german, english = (set(i18n.MESSAGES[lang]) for lang in i18n.LANGUAGES)
    assert german == english
    for kind in QUOTATION_TYPES:
        assert {f"type.{kind}", f"type.help.{kind}"} <= german and kind in i18n.TYPE_EXAMPLES
    for medium in MEDIA:
        assert {f"medium.{medium}", f"medium.help.{medium}"} <= german and medium in i18n.MEDIUM_EXAMPLES


@pytest.mark.parametrize(
    ("lang", "value", "shown"),
    [
        ("de", "2024-05-17", "17.05.2024"),
        ("en", "2024-05-17", "17 May 2024"),
        ("de", "2024-05-17T08:30:00", "17.05.2024"),
        ("de", "2024-05", "Mai 2024"),
        ("en", "2024-05", "May 2024"),
        ("en", "2024", "2024"),
        ("de", "irgendwann", "irgendwann"),
        ("de", None, ""),
    ],
)
def test_dates_in_the_readers_format(lang: str, value: str | None, shown: str) -> None:
    assert i18n.Messages(lang).date(value) == shown


def test_help_page_explains_every_type_and_medium(client: TestClient) -> None:
    for path, lang in (("/hilfe", "de"), ("/help?lang=en", "en")):
        page = client.get(path).text
        t = i18n.Messages(lang)
        for kind in QUOTATION_TYPES:
            assert html.escape(t(f"type.help.{kind}")) in page and html.escape(i18n.TYPE_EXAMPLES[kind]) in page
        for medium in MEDIA:
            assert html.escape(t(f"medium.help.{medium}")) in page
            assert html.escape(i18n.MEDIUM_EXAMPLES[medium]) in page


def test_type_labels_carry_their_explanation(client: TestClient) -> None:
    page = client.get(f"/articles/{quote('a/b', safe='')}").text
    explanation = html.escape(i18n.Messages("de")("type.help.Direct"))
    assert f'<span class="badge t-Direct" title="{explanation}">Direkt</span>' in page
