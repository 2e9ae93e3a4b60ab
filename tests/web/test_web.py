"""The web interface in a real browser: Debian's headless Chromium driven by Playwright against a uvicorn
server on 127.0.0.1, over a store filled by the real ingest of the repository's examples/ (eight articles).

Assertions are about what a person sees; screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright
from test_api import HOSTILE_TEXT, hostile_document
from test_web_links import ODD_IDS, odd_documents

from wortlaut import settings
from wortlaut.ingest import ingest
from wortlaut.store import Store, open_store
from wortlaut.web.app import create_app
from wortlaut.web.i18n import Messages

REPO = Path(__file__).resolve().parents[2]
#: The article most tests look at: it has a spokesman reporting what someone else said (a nested quotation).
SAMPLE = settings.EXAMPLES_DIR / "05_wohnungsstudie.txt"
EXAMPLES = 8
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
GERMAN = Messages("de")
HARTMANN_QUOTES = [
    "„ernüchternd, aber nicht überraschend“",
    "Die Regierung habe die Mittel für den sozialen Wohnungsbau bereits verdoppelt",
    "Es dauere jedoch, bis neue Wohnungen bezugsfertig seien.",
]
HARTMANN_SAYS = "Die Regierung habe die Mittel für den sozialen Wohnungsbau bereits verdoppelt"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("web")
    with open_store(str(folder / "web.sqlite")) as opened:
        # The rule extractor keeps what the pages show fixed while the model is retrained;
        # the model's own output is tested in test_model.py.
        report = ingest(opened, [str(settings.EXAMPLES_DIR)], extractor="rules")
        assert report.stored == EXAMPLES, report
        assert opened.add_documents([hostile_document(), *odd_documents()]).stored == 1 + len(ODD_IDS)
        yield opened


@pytest.fixture(scope="module")
def server(store: Store) -> Iterator[str]:
    """uvicorn in a thread on a free 127.0.0.1 port (the socket is bound first, so there is no port race)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(create_app(store), log_level="warning"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not uv.started:
        if not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join()
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, server: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page; any request that leaves the local server (a CDN, a font) fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=server)
    opened = context.new_page()
    outside: list[str] = []
    errors: list[str] = []
    opened.on("request", lambda r: None if r.url.startswith((server, "data:", "blob:")) else outside.append(r.url))
    opened.on("pageerror", lambda err: errors.append(str(err)))
    opened.on(
        "console", lambda msg: errors.append(msg.text) if msg.type == "error" and not expected_error(msg.text) else None
    )
    yield opened
    ARTIFACTS.mkdir(exist_ok=True)
    opened.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not outside, f"requests left the machine: {outside}"
    assert not errors, f"errors in the browser console (script errors, blocked content): {errors}"


def expected_error(text: str) -> bool:
    """The console reports the deliberate 422/404 responses of the error-page tests; nothing else is allowed."""
    return "Failed to load resource" in text and ("422" in text or "404" in text)


def api(server: str, path: str, **params: Any) -> Any:
    response = httpx.get(server + path, params=params)
    response.raise_for_status()
    return response.json()


def sample_article(server: str) -> dict[str, Any]:
    [hit] = [a for a in api(server, "/api/articles", per_page=100)["items"] if a["id"] == SAMPLE.stem]
    return api(server, f"/api/articles/{hit['id']}")


def quotation_with(article: dict[str, Any], words: str) -> dict[str, Any]:
    found = [q for q in article["quotations"] if any(words in s["text"] for s in q["quote"])]
    assert found, f"no quotation quoting {words!r}: {[q['quote'] for q in article['quotations']]}"
    return found[0]


def highlighted(page: Page, qid: str, part: str) -> str:
    """The text the page paints as `part` of quotation `qid` (segments joined in reading order)."""
    return page.evaluate(
        """([qid, part]) => Array.from(document.querySelectorAll('#article-text .hl.p-' + part))
             .filter(s => s.dataset.q.split(' ').includes(qid)).map(s => s.textContent).join('')""",
        [qid, part],
    )


def test_article_highlights_each_part_in_its_own_colour(page: Page, server: str) -> None:
    article = sample_article(server)
    hartmann = quotation_with(article, HARTMANN_SAYS)
    page.goto(f"/articles/{article['id']}")
    expect(page.locator("h1")).to_have_text(article["title"])
    for part in ("quote", "speaker", "cue", "frame", "addressee"):
        expect(page.locator(f".legend .swatch.p-{part}:not(.nested)")).to_be_visible()
    for part in ("quote", "speaker", "cue"):
        spans = hartmann[part]
        assert spans, f"the extractor gave Hartmann's quotation no {part}"
        assert highlighted(page, hartmann["id"], part) == "".join(s["text"] for s in spans)
    assert highlighted(page, hartmann["id"], "quote") == HARTMANN_SAYS
    assert highlighted(page, hartmann["id"], "speaker") == "sie" and highlighted(page, hartmann["id"], "cue") == "sagte"
    styles = page.evaluate(
        """() => Object.fromEntries(['quote', 'frame', 'speaker', 'cue', 'addressee'].map(p => {
             const s = getComputedStyle(document.querySelector('.legend .swatch.p-' + p));
             return [p, s.backgroundColor + '|' + s.color + '|' + s.borderBottomColor];
           }))"""
    )
    assert len(set(styles.values())) == 5, styles
    whole = page.locator("#article-text").inner_text()
    assert f"{HARTMANN_SAYS}, sagte sie." in whole


def test_selecting_a_quotation_shows_speaker_type_medium_and_nesting(page: Page, server: str) -> None:
    article = sample_article(server)
    hartmann = quotation_with(article, HARTMANN_SAYS)
    page.goto(f"/articles/{article['id']}")
    page.locator(f"#article-text .hl.p-quote[data-primary='{hartmann['id']}']").first.click()
    details = page.locator(f"#qd-{hartmann['id']}")
    expect(details).to_be_visible()
    expect(details.locator(".d-type")).to_have_text(GERMAN(f"type.{hartmann['type']}"))
    expect(details.locator(".d-medium")).to_have_text(GERMAN(f"medium.{hartmann['medium']}"))
    expect(details.locator(".d-nesting")).to_contain_text(GERMAN("article.top_level"))
    expect(page.locator("#article-text .hl.sel").first).to_be_visible()
    assert page.url.endswith(f"#q-{hartmann['id']}")

    nested = [(q["id"], q["nested_in"]) for q in article["quotations"] if q["nested_in"]]
    assert nested == [("q11", "q10")], "a spokesman reporting what Klaus Becker warned"
    inner = {q["id"]: q for q in article["quotations"]}["q11"]
    page.locator(f"tr#q-{inner['id']}").click()
    expect(page.locator(f"#qd-{inner['id']} .d-nesting a")).to_have_attribute("data-select", inner["nested_in"])
    page.locator(f"#qd-{inner['id']} .d-nesting a").click()
    expect(page.locator(f"#qd-{inner['nested_in']}")).to_be_visible()
    expect(page.locator(f"#qd-{inner['nested_in']} .d-nesting a[data-select='{inner['id']}']")).to_be_visible()

    page.locator(f"tr#q-{hartmann['id']}").click()
    page.locator(f"#qd-{hartmann['id']} .d-speaker a").click()
    expect(page.locator("h1.speaker-name")).to_have_text(hartmann["speaker_entity"]["name"])


def test_readme_screenshot_of_the_article_page(page: Page, server: str) -> None:
    """The picture the README shows: the sample with its nested quotation selected, showing the title, the
    quotation's words painted in the text, and its details (speaker, type, the quotation it is nested in)."""
    article = sample_article(server)
    page.goto(f"/articles/{article['id']}#q-q11")
    details = page.locator("#qd-q11")
    expect(details).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    expect(page.locator("h1")).to_have_text("Studie: In jeder dritten Großstadt fehlen bezahlbare Wohnungen")
    expect(page.locator("h1")).to_be_in_viewport()
    expect(details.locator("blockquote")).to_have_text("die Förderprogramme kämen zu spät")
    expect(details.locator(".d-type")).to_have_text(GERMAN("type.Indirect"))
    expect(details.locator(".d-nesting a")).to_have_attribute("data-select", "q10")
    expect(details.locator(".d-speaker")).to_contain_text("Klaus Becker")
    # the quotation is painted whole: speaker, frame, cue and quote
    assert page.locator("#article-text .hl.sel").all_inner_texts() == [
        "Verbandspräsident Klaus Becker",
        " habe schon im Frühjahr ",
        "gewarnt",
        ",",
        "die Förderprogramme kämen zu spät",
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "screenshot-article.png"))


def test_speaker_page_lists_hartmann_with_timeline_and_types(page: Page, server: str) -> None:
    [hartmann] = [s for s in api(server, "/api/speakers", q="Hartmann")["items"] if s["name"].endswith("Hartmann")]
    page.goto("/speakers?q=Hartmann")
    page.get_by_role("link", name=hartmann["name"], exact=True).click()
    expect(page.locator("h1.speaker-name")).to_have_text(hartmann["name"])
    quotes = page.locator(".speaker-quotations .hit-quote")
    assert sorted(quotes.all_inner_texts()) == sorted(HARTMANN_QUOTES)
    expect(page.locator(".speaker-quotations .badge", has_text=GERMAN("type.IndirectFreeIndirect"))).to_have_count(1)
    expect(page.locator(".timeline svg rect")).to_have_count(1)
    expect(page.locator(".timeline svg")).to_contain_text("Okt. 2025")
    types = api(server, f"/api/speakers/{hartmann['id']}")["types"]
    expect(page.locator(".type-mix .types li")).to_have_text(
        [f"{GERMAN('type.' + t['key'])}{t['count']}" for t in types]
    )
    expect(page.locator(".descriptors")).to_contain_text("Bauministerin")


def test_search_filters_paginate_and_are_shareable(page: Page, server: str) -> None:
    page.goto("/search")
    page.get_by_label("Text").fill("sagte")
    page.get_by_label("Quelle").select_option("Lindenauer Anzeiger")
    page.get_by_role("button", name="Suchen").click()
    expect(page).to_have_url(re.compile(r"q=sagte.*source=Lindenauer"))
    expect(page.locator(".result-count")).to_contain_text(GERMAN.count("search.found", 1))
    expect(page.locator(".results .hit-quote")).to_have_text(
        [
            "Der Gemeinderat habe sich nach einer öffentlichen Anhörung mit großer Mehrheit für das Projekt "
            "ausgesprochen, sagte er."
        ]
    )

    page.goto("/search?type=Indirect&since=2025-01-01&until=2025-10-31&per_page=5")
    total = api(server, "/api/quotations", type="Indirect", since="2025-01-01", until="2025-10-31")["total"]
    assert total == 41, "the examples have more than a page of Indirect quotations from 2025 until October"
    expect(page.locator(".results .hit")).to_have_count(5)
    expect(page.locator(".results .badge")).to_have_text([GERMAN("type.Indirect")] * 5)
    page.locator("a[rel=next]").click()
    for value in ("type=Indirect", "since=2025-01-01", "until=2025-10-31", "per_page=5", "page=2"):
        assert value in page.url
    expect(page.get_by_label("Typ")).to_have_value("Indirect")
    dates = page.locator(".results time").evaluate_all("times => times.map(t => t.dateTime)")
    # newest first: 05_wohnungsstudie has eight Indirect quotations, then 04_handball
    assert dates == ["2025-10-21"] * 3 + ["2025-09-14"] * 2
    assert page.locator(".results time").all_inner_texts() == ["21.10.2025"] * 3 + ["14.09.2025"] * 2
    shared = page.url
    second = page.context.new_page()
    second.goto(shared)
    assert second.locator(".results").inner_text() == page.locator(".results").inner_text()
    second.close()


def test_bad_search_input_gets_a_readable_error(page: Page) -> None:
    response = page.goto("/search?since=2024-02-30")
    assert response is not None and response.status == 422
    expect(page.locator(".error")).to_contain_text("since")


def test_network_graph_draws_and_links_to_speakers(page: Page, server: str) -> None:
    graph = api(server, "/api/network")
    assert {link["kind"] for link in graph["links"]} >= {"reports"}
    page.goto("/network")
    expect(page.locator("#network g.node")).to_have_count(len(graph["nodes"]))
    expect(page.locator("#network line.link")).to_have_count(len(graph["links"]))
    expect(page.locator("#network[data-settled]")).to_have_count(1, timeout=20_000)
    expect(page.locator("#network-status")).to_contain_text(f"{len(graph['nodes'])} nodes")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "network-graph.png"))
    speaker = max((n for n in graph["nodes"] if n["kind"] == "speaker"), key=lambda n: n["weight"])
    node = page.locator(f"#network g.node[data-id='{speaker['id']}']")
    node.locator("circle").hover()
    expect(page.locator("#network.focus")).to_have_count(1)
    node.locator("circle").click()
    expect(page.locator("h1.speaker-name")).to_have_text(speaker["label"])


def test_article_text_is_never_markup(page: Page) -> None:
    page.goto("/articles/hostile")
    text = page.locator("#article-text")
    expect(text).to_have_text(HOSTILE_TEXT)
    assert page.evaluate("window.__xss") is None
    expect(page.locator("#article-text script, #article-text img, h1 b")).to_have_count(0)
    expect(page.locator("h1")).to_have_text("<b>Markup</b> im Titel")
    expect(text.locator(".hl.p-quote").first).to_have_text("Warnung <script>window.__xss = 1</script>")
    text.locator(".hl.p-quote").first.click()
    expect(page.locator("#qd-q1 blockquote")).to_have_text("Warnung <script>window.__xss = 1</script>")
    assert page.evaluate("window.__xss") is None


def test_api_docs_work_offline(page: Page) -> None:
    page.goto("/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("wortlaut")
    expect(page.locator(".opblock-summary-path", has_text="/api/quotations")).to_have_count(1)


def test_home_lists_articles_and_most_quoted_speakers(page: Page, server: str) -> None:
    page.goto("/")
    expect(page.locator("main .meta").first).to_contain_text(f"{EXAMPLES + 1 + len(ODD_IDS)} Artikel")
    # The two articles' "die Kammer" stay two speakers (Landesärztekammer, Handelskammer). The Landesärztekammer's
    # 6 include 3 quotations of Anja Wolff that a "sie" was wrongly resolved to (a known resolver error).
    expect(page.locator(".top-speakers li")).to_have_text(
        [
            "Landesärztekammer 6",
            "Frank Ullrich 4",
            "Katrin Vogt 4",
            "Stadtverwaltung 4",
            "Bernd Vogel 3",
            "Eva Lindner 3",
            "Handelskammer 3",
            "Julia Hartmann 3",
            "Lukas Berger 3",
            "Ralf Schubert 3",
            "Renate Kühn 3",
            "Sandra Roth 3",
        ]
    )
    page.get_by_role("link", name="Studie: In jeder dritten Großstadt fehlen bezahlbare Wohnungen").click()
    # its 14 quotations' quotes, painted in 20 pieces (a gap, and a quotation nested in another)
    expect(page.locator("#article-text .hl.p-quote")).to_have_count(20)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_command_answers_on_localhost(store: Store, tmp_path: Path, workers: str) -> None:
    """`wortlaut serve --db … --port N` serves the same store (the CLI is a thin layer over create_app), in one
    process or several."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [str(Path(sys.executable).parent / "wortlaut"), "serve", "--db", store.url, "--port", str(port)]
    command += ["--base-url", "https://wortlaut.example.org/app", "--workers", workers]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        body = None
        while body is None:
            if process.poll() is not None:
                pytest.fail(f"wortlaut serve exited: {process.stderr.read() if process.stderr else ''}")
            try:
                body = httpx.get(f"http://127.0.0.1:{port}/api/articles", params={"per_page": 1}).json()
            except httpx.TransportError:
                time.sleep(0.1)
        assert body["total"] == store.stats().articles
        home = httpx.get(f"http://127.0.0.1:{port}/").text
        assert 'href="https://wortlaut.example.org/app/search"' in home
    finally:
        process.terminate()
        process.wait()


PHONE = {"width": 390, "height": 844}
#: The home page's article dates: the examples, newest first, then the hostile and odd-id articles.
GERMAN_DATES = [
    "04.11.2025",
    "21.10.2025",
    "14.09.2025",
    "02.07.2025",
    "21.06.2025",
    "06.05.2025",
    "03.04.2025",
    "12.03.2025",
    "01.06.2024",
    *["17.05.2024"] * 5,
]
ENGLISH_DATES = [
    "4 November 2025",
    "21 October 2025",
    "14 September 2025",
    "2 July 2025",
    "21 June 2025",
    "6 May 2025",
    "3 April 2025",
    "12 March 2025",
    "1 June 2024",
    *["17 May 2024"] * 5,
]


@pytest.fixture
def phone(browser: Browser, server: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A touch screen 390 px wide, like a current phone held upright."""
    context = browser.new_context(viewport=PHONE, base_url=server, has_touch=True, is_mobile=True)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda err: errors.append(str(err)))
    yield opened
    ARTIFACTS.mkdir(exist_ok=True)
    opened.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))  # full_page would widen a mobile viewport
    context.close()
    assert not errors, errors


def every_page(server: str) -> list[str]:
    """One URL of each kind of page, with the longest article and ids that need encoding."""
    articles = api(server, "/api/articles", per_page=100)["items"]
    longest = max(articles, key=lambda a: len(api(server, f"/api/articles/{quote(a['id'], safe='')}")["text"]))
    speaker = api(server, "/api/speakers")["items"][0]["id"]
    ids = [SAMPLE.stem, longest["id"], "hostile", *ODD_IDS]
    return [
        "/",
        "/?lang=en",
        "/search",
        "/search?q=sagte",
        "/search?since=never",
        "/speakers",
        f"/speakers/{quote(speaker, safe='')}",
        f"/speakers/{quote('person:' + ODD_IDS[0], safe='')}",
        "/network",
        "/hilfe",
        "/help?lang=en",
        "/docs",
        "/articles/no-such-article",
        *(f"/articles/{quote(i, safe='')}" for i in ids),
    ]


def test_no_page_scrolls_sideways_on_a_phone(phone: Page, server: str) -> None:
    too_wide = {}
    for url in every_page(server):
        phone.goto(url)
        if url == "/network":
            expect(phone.locator("#network[data-settled]")).to_have_count(1, timeout=20_000)
        if url == "/docs":
            expect(phone.locator(".opblock-summary-path").first).to_be_visible()
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[url] = width
    assert not too_wide, too_wide


def test_tapping_a_quote_on_a_phone_shows_its_details_in_view(phone: Page, server: str) -> None:
    article = sample_article(server)
    phone.goto(f"/articles/{article['id']}")
    last = phone.locator("#article-text .hl.p-quote").last
    last.scroll_into_view_if_needed()
    last.tap()
    qid = last.get_attribute("data-primary")
    details = phone.locator(f"#qd-{qid}")
    expect(details).to_be_visible()
    panel = phone.locator("#details").bounding_box()
    tapped = last.bounding_box()
    assert panel and tapped
    assert panel["y"] >= 0 and panel["y"] + panel["height"] <= PHONE["height"], panel
    assert tapped["y"] >= 0 and tapped["y"] + tapped["height"] <= panel["y"], "the sheet covers the tapped quote"
    phone.locator("#details-close").tap()
    expect(phone.locator("#details")).to_be_hidden()

    row = phone.locator(f"tr#q-{article['quotations'][0]['id']}")
    row.scroll_into_view_if_needed()
    row.tap()
    panel = phone.locator("#details").bounding_box()
    assert panel and panel["y"] + panel["height"] <= PHONE["height"]


def test_language_switch_is_remembered(page: Page) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("header.site nav")).to_contain_text("Suche")
    assert page.locator(".articles time").all_inner_texts() == GERMAN_DATES
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Articles")
    assert page.locator(".articles time").all_inner_texts() == ENGLISH_DATES
    page.get_by_role("link", name="Search", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Search")).to_be_visible()
    page.get_by_role("link", name="Help").click()
    expect(page.locator("h1")).to_have_text("Help: quotation types and media")
    page.get_by_role("link", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("h1")).to_have_text("Hilfe: Zitattypen und Medien")
    page.goto("/speakers")
    expect(page.locator("h1")).to_have_text("Sprecher")


def test_type_labels_explain_themselves(page: Page, server: str) -> None:
    article = sample_article(server)
    page.goto(f"/articles/{article['id']}")
    badge = page.locator(".quotation-list .badge").first
    kind = article["quotations"][0]["type"]
    expect(badge).to_have_text(GERMAN(f"type.{kind}"))
    expect(badge).to_have_attribute("title", GERMAN(f"type.help.{kind}"))
    page.get_by_role("link", name="Hilfe").first.click()
    expect(page.locator(f"#type-{kind}")).to_contain_text(GERMAN(f"type.help.{kind}"))
