"""Reviewers in the web interface, in a real browser (Debian's Chromium driven by Playwright) against a uvicorn
server over a real store (SQLite and PostgreSQL), filled by the real ingest of examples/05_wohnungsstudie.txt.

Signing in, correcting a speaker by selecting words, adding a missed quotation, the corrections surviving a
reload, a re-analysis and an export; and the guards: 403 on every write route for visitors, CSRF tokens,
conflicting edits, escaped names, login throttling, private mode and the `serve` warning.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from starlette.routing import BaseRoute
from test_web import CHROMIUM_ARGS
from typer.testing import CliRunner

from wortlaut import api, settings
from wortlaut.cli import app as cli_app
from wortlaut.ingest import ingest
from wortlaut.store import SearchFilters, Store, open_store
from wortlaut.web.app import create_app
from wortlaut.web.i18n import Messages

SAMPLE = settings.EXAMPLES_DIR / "05_wohnungsstudie.txt"
ARTICLE = SAMPLE.stem
PASSWORD = "lange-genug-1"
GERMAN = Messages("de")
SPOKESMAN_SAYS = "„Jetzt haben wir es schwarz auf weiß“"  # q12: the rules credit "der Sprecher"
MISSED = "Der Mieterbund reagierte scharf"  # a reaction the rules do not report
XSS = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">Becker'


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """The sample article, analysed by the rules (fixed output), with two reviewers and an admin."""
    with open_store(store_url) as opened:
        report = ingest(opened, [str(SAMPLE)], extractor="rules")
        assert report.stored == 1, report
        for name, role in (("anna", "reviewer"), ("bert", "reviewer"), ("chef", "admin")):
            opened.add_user(name, role, PASSWORD)
        yield opened


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """uvicorn in a thread on a free 127.0.0.1 port (the socket is bound first, so there is no port race)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    uv = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not uv.started:
        if not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    uv.should_exit = True
    thread.join()
    sock.close()


@pytest.fixture
def web_app(store: Store) -> FastAPI:
    return create_app(store, secret="test-secret")


@pytest.fixture
def server(web_app: FastAPI) -> Iterator[str]:
    with serve(web_app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser, server: str) -> Iterator[BrowserContext]:
    opened = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server)
    yield opened
    opened.close()


def new_page(context: BrowserContext) -> Page:
    """A page that fails the test on script errors and on any script the payloads manage to run."""
    page = context.new_page()
    page.on("pageerror", lambda err: pytest.fail(f"script error: {err}"))
    page.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    return page


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return new_page(context)


def sign_in(page: Page, name: str, password: str = PASSWORD) -> None:
    page.goto("/anmelden")
    page.locator("input[name=name]").fill(name)
    page.locator("input[name=password]").fill(password)
    page.locator("input[name=password]").press("Enter")
    expect(page.locator("#review-outcome")).to_have_text(GERMAN("review.outcome.signed_in"))


def select_in_text(page: Page, start: int, end: int) -> None:
    """Select the article's characters start..end, as a reader dragging over them would."""
    page.evaluate(
        """([start, end]) => {
             const root = document.getElementById('article-text');
             const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
             const range = document.createRange();
             let position = 0, node, started = false;
             while ((node = walker.nextNode())) {
               const length = node.data.length;
               if (!started && start < position + length) { range.setStart(node, start - position); started = true; }
               if (end <= position + length) { range.setEnd(node, end - position); break; }
               position += length;
             }
             const selection = window.getSelection();
             selection.removeAllRanges();
             selection.addRange(range);
           }""",
        [start, end],
    )


def article(store: Store) -> Any:
    doc = store.article(ARTICLE)
    assert doc is not None
    return doc


def quotation_quoting(store: Store, words: str) -> Any:
    [found] = [q for q in article(store).quotations if q.quote_text == words]
    return found


def open_quotation(page: Page, qid: str) -> Any:
    page.goto(f"/articles/{ARTICLE}#q-{qid}")
    details = page.locator(f"#qd-{qid}")
    expect(details).to_be_visible()
    return details


def exported(store: Store, tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "export.jsonl"
    api.export(store, SearchFilters(article=ARTICLE), "jsonl", path)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_speaker_fixed_by_selecting_words_survives_reload_reanalysis_and_export(
    page: Page, store: Store, server: str, tmp_path: Path
) -> None:
    spokesman = quotation_quoting(store, SPOKESMAN_SAYS)
    assert spokesman.speaker_entity.name == "der Sprecher"
    sign_in(page, "anna")
    details = open_quotation(page, spokesman.id)
    expect(details.locator(".d-review")).to_have_text(GERMAN("review.state.unreviewed"))
    at = article(store).text.index("Klaus Becker")
    select_in_text(page, at, at + len("Klaus Becker"))
    details.get_by_role("button", name=GERMAN("review.selection_as_speaker")).click()  # the one click

    expect(page.locator("#review-outcome")).to_have_text(GERMAN("review.outcome.saved"))
    expect(details.locator(".d-speaker a")).to_have_text("Klaus Becker")
    expect(details.locator(".d-review")).to_have_text(GERMAN("review.state.corrected"))
    expect(page.locator(f"tr#q-{spokesman.id} .review-mark")).to_have_text(GERMAN("review.state.corrected"))
    page.reload()
    expect(details.locator(".d-speaker a")).to_have_text("Klaus Becker")

    api.reanalyze(store, extractor="rules")
    open_quotation(page, spokesman.id)
    expect(details.locator(".d-speaker a")).to_have_text("Klaus Becker")
    expect(details.locator(".d-speaker .mention")).to_contain_text("Klaus Becker")
    [quotation] = [
        q for q in httpx.get(f"{server}/api/articles/{ARTICLE}").json()["quotations"] if q["id"] == spokesman.id
    ]
    assert (quotation["speaker_entity"]["name"], quotation["review_state"]) == ("Klaus Becker", "corrected")
    [row] = [r for r in exported(store, tmp_path) if r["quote"] == SPOKESMAN_SAYS]
    assert (row["speaker"], row["entity_name"], row["review_state"]) == ("Klaus Becker", "Klaus Becker", "corrected")

    page.goto("/search?q=schwarz")
    expect(page.locator(".hit .review-mark")).to_have_text([GERMAN("review.state.corrected")])
    page.goto("/speakers/person%3Aklaus-becker")
    expect(page.locator(".speaker-quotations .hit", has_text="schwarz auf weiß").locator(".review-mark")).to_have_text(
        GERMAN("review.state.corrected")
    )


def test_a_known_speaker_is_picked_in_the_search_box_and_set_with_the_keyboard(page: Page, store: Store) -> None:
    hartmann = quotation_quoting(store, "„ernüchternd, aber nicht überraschend“")
    sign_in(page, "anna")
    details = open_quotation(page, hartmann.id)
    search = details.get_by_label(GERMAN("review.known_speaker"))
    search.focus()
    search.press_sequentially("Klaus")
    expect(page.locator("#speaker-options option[value='person:klaus-becker']")).to_have_count(1)
    search.fill("person:klaus-becker")  # what picking the suggestion puts into the box
    search.press("Enter")
    expect(page.locator("#review-outcome")).to_have_text(GERMAN("review.outcome.saved"))
    expect(details.locator(".d-speaker a")).to_have_text("Klaus Becker")
    # keyboard only, without a suggestion: Tab from the box reaches the button, and Enter on it sends the name
    details = open_quotation(page, hartmann.id)
    search = details.get_by_label(GERMAN("review.known_speaker"))
    search.fill(hartmann.speaker_entity.name)
    search.press("Tab")
    expect(details.get_by_role("button", name=GERMAN("review.set_speaker"))).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#review-outcome")).to_have_text(GERMAN("review.outcome.saved"))
    expect(details.locator(".d-speaker a")).to_have_text(hartmann.speaker_entity.name)
    assert [c.action for c in store.history(ARTICLE)] == ["set_speaker", "set_speaker"]


def test_a_missed_quotation_is_added_by_selecting_it_and_then_its_speaker(
    page: Page, store: Store, tmp_path: Path
) -> None:
    before = len(article(store).quotations)
    sign_in(page, "anna")
    page.goto(f"/articles/{ARTICLE}")
    form = page.locator("#add-quotation form")
    text = article(store).text
    select_in_text(page, text.index(MISSED), text.index(MISSED) + len(MISSED))
    form.locator(".selection-field", has=page.locator("input[name=quote]")).locator(".use-selection").click()
    expect(form.locator("input[name=quote]")).to_have_value(MISSED)
    # the speaker by keyboard only: typed into the field, the form sent with Enter
    form.locator("input[name=speaker]").fill("Der Mieterbund")
    form.locator("select[name=type]").select_option("Reported")
    form.locator("input[name=speaker]").press("Enter")

    expect(page.locator("#review-outcome")).to_have_text(GERMAN("review.outcome.saved"))
    doc = article(store)
    assert len(doc.quotations) == before + 1
    [added] = [q for q in doc.quotations if q.quote_text == MISSED]
    assert (added.type, added.speaker_text) == ("Reported", "Der Mieterbund")
    expect(page.locator(f"tr#q-{added.id}")).to_contain_text(MISSED)
    expect(page.locator(f"#qd-{added.id} .d-review")).to_have_text(GERMAN("review.state.corrected"))
    [row] = [r for r in exported(store, tmp_path) if r["quote"] == MISSED]
    assert (row["type"], row["speaker"], row["review_state"]) == ("Reported", "Der Mieterbund", "corrected")


def test_confirm_reject_type_and_history_with_undo(page: Page, store: Store) -> None:
    hartmann = quotation_quoting(store, "„ernüchternd, aber nicht überraschend“")
    becker = quotation_quoting(store, "die Förderprogramme kämen zu spät")
    sign_in(page, "anna")
    details = open_quotation(page, hartmann.id)
    details.get_by_role("button", name=GERMAN("review.confirm")).click()
    expect(details.locator(".d-review")).to_have_text(GERMAN("review.state.confirmed"))
    details.locator(".review-type select").select_option("Indirect")
    details.get_by_role("button", name=GERMAN("review.set_type")).click()
    expect(details.locator(".d-type")).to_have_text(GERMAN("type.Indirect"))
    details = open_quotation(page, becker.id)
    details.locator(".review-nesting select").select_option("")
    details.get_by_role("button", name=GERMAN("review.set_nesting")).click()
    expect(details.locator(".d-nesting")).to_contain_text(GERMAN("article.top_level"))
    details.get_by_role("button", name=GERMAN("review.reject")).click()
    expect(page.locator(f"tr#q-{becker.id}")).to_have_count(0)
    history = page.locator("#review-history li")
    expect(history).to_have_count(4)
    expect(history.first).to_contain_text(GERMAN("review.action.reject"))
    history.first.get_by_role("button", name=GERMAN("review.undo")).click()
    expect(page.locator(f"tr#q-{becker.id}")).to_have_count(1)
    types = {q.id: q.type for q in article(store).quotations}
    assert (types[hartmann.id], types[becker.id]) == ("Indirect", "Indirect")
    assert [c.action for c in store.history(ARTICLE)] == ["confirm", "set_type", "set_nesting", "reject", "undo"]


def test_admins_rename_merge_split_set_kind_and_undo_speakers(page: Page, store: Store) -> None:
    sign_in(page, "chef")
    page.goto("/speakers/person%3Aklaus-becker")
    review = page.locator("#speaker-review")
    review.locator("input[name=name]").fill("Klaus Becker (Mieterbund)")
    review.get_by_role("button", name=GERMAN("review.rename")).click()
    expect(page.locator("h1.speaker-name")).to_have_text("Klaus Becker (Mieterbund)")
    review.locator("select[name=kind]").select_option("organisation")
    review.get_by_role("button", name=GERMAN("review.set_kind")).click()
    expect(page.locator("p.meta").first).to_contain_text(GERMAN("ov.kind.organisation"))
    history = review.locator(".review-history li")
    expect(history).to_have_count(2)
    history.last.get_by_role("button", name=GERMAN("review.undo")).click()  # the rename, the older one
    expect(page.locator("h1.speaker-name")).to_have_text("Klaus Becker")

    review.locator("input[name=other]").fill("der Sprecher")
    review.get_by_role("button", name=GERMAN("review.merge")).click()
    expect(page.locator("#review-outcome")).to_have_text(GERMAN("review.outcome.merged"))
    assert store.entity("anonymous:05-wohnungsstudie:der-sprecher") is None
    review.locator("select[name=alias]").select_option("der sprecher")
    review.get_by_role("button", name=GERMAN("review.split")).click()
    expect(page.locator("#review-outcome")).to_have_text(GERMAN("review.outcome.split"))
    split_off = store.entity(unquote(page.url.split("/speakers/", 1)[1].split("?", 1)[0]))
    assert split_off is not None and split_off.id != "person:klaus-becker"
    expect(page.locator("h1.speaker-name")).to_have_text(split_off.name)


def test_a_merge_shows_in_both_speakers_histories_and_is_undone_there_unless_stale(page: Page, store: Store) -> None:
    spokesman = quotation_quoting(store, SPOKESMAN_SAYS)
    anonymous = spokesman.speaker_entity.id
    sign_in(page, "chef")
    page.goto("/speakers/person%3Aklaus-becker")
    review = page.locator("#speaker-review")
    review.get_by_label(GERMAN("review.merge_other")).fill("der Sprecher")
    review.get_by_role("button", name=GERMAN("review.merge")).click()
    expect(page.locator("#review-outcome")).to_have_text(GERMAN("review.outcome.merged"))
    history = review.locator(".review-history li")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text(GERMAN("review.action.merge"))
    expect(history.first).to_contain_text("„der Sprecher“ in „Klaus Becker“")
    assert quotation_quoting(store, SPOKESMAN_SAYS).speaker_entity.id == "person:klaus-becker"

    store.rename_entity("person:klaus-becker", "Klaus Becker (Mieterbund)", reviewer="chef")  # another tab, meanwhile
    history.last.get_by_role("button", name=GERMAN("review.undo")).click()  # the merge: stale now
    expect(page.locator("#review-outcome")).to_have_text(GERMAN("review.outcome.stale_undo"))
    expect(history).to_have_count(2)
    history.first.get_by_role("button", name=GERMAN("review.undo")).click()  # the rename first
    expect(page.locator("h1.speaker-name")).to_have_text("Klaus Becker")
    history.last.get_by_role("button", name=GERMAN("review.undo")).click()  # then the merge
    expect(page.locator("#review-outcome")).to_have_text(GERMAN("review.outcome.saved"))
    assert quotation_quoting(store, SPOKESMAN_SAYS).speaker_entity.id == anonymous

    page.goto(f"/speakers/{quote(anonymous, safe='')}")  # the speaker is back, with the merge and its undo
    expect(page.locator("h1.speaker-name")).to_have_text("der Sprecher")
    expect(page.locator("#speaker-review .review-history li")).to_have_count(2)
    expect(page.locator("#speaker-review .review-history li").first).to_contain_text(GERMAN("review.action.undo"))
    expect(page.locator(".speaker-quotations .hit", has_text="schwarz auf weiß")).to_have_count(1)


def test_the_review_queue_shows_the_least_sure_first_with_progress(page: Page, store: Store) -> None:
    sign_in(page, "anna")  # signing in leads to the queue
    expect(page.locator(".review-progress")).to_have_text("0 von 14 geprüft; 0 korrigiert")
    confidences = [float(c) for c in page.locator(".review-queue td.n").all_inner_texts()]
    assert confidences == sorted(confidences) and len(confidences) == 14
    page.goto("/pruefen?type=Direct")
    expect(page.locator(".review-queue tbody tr")).to_have_count(3)
    page.locator(".review-queue td.quote a").first.click()
    expect(page).to_have_url(re.compile(rf"/articles/{ARTICLE}#q-q\d+$"))
    qid = page.url.rsplit("#q-", 1)[1]
    page.locator(f"#qd-{qid}").get_by_role("button", name=GERMAN("review.confirm")).click()
    page.goto("/review?type=Direct&lang=en")
    expect(page.locator(".review-progress")).to_have_text("1 of 3 reviewed; 0 corrected")
    expect(page.locator(".review-queue tbody tr")).to_have_count(2)


def api_routes(routes: Sequence[BaseRoute]) -> Iterator[APIRoute]:
    """Every route of the app, also inside included routers (which FastAPI wraps, keeping `original_router`)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from api_routes(inner.routes)
        elif isinstance(route, APIRoute):
            yield route


def post_routes(app: FastAPI) -> list[str]:
    """Every POST route of the app, path parameters filled in: a write route added later is checked too."""
    routes = list(api_routes(app.routes))
    assert {"/", "/articles/{article_id:path}", "/api/quotations"} <= {r.path for r in routes}, "routes went missing"
    return [re.sub(r"\{[^}]+\}", "x", route.path) for route in routes if "POST" in route.methods]


def signed_in_client(server: str, name: str) -> tuple[httpx.Client, str]:
    """An HTTP client signed in as `name`, and its session's CSRF token."""
    client = httpx.Client(base_url=server)
    token = csrf_of(client.get("/anmelden").text)
    response = client.post("/anmelden", data={"name": name, "password": PASSWORD, "csrf": token})
    assert response.status_code == 303, response.text
    return client, csrf_of(client.get(f"/articles/{ARTICLE}").text)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def test_visitors_get_403_on_every_write_route_and_reviewers_on_admin_routes(web_app: FastAPI, server: str) -> None:
    routes = post_routes(web_app)
    assert {"/anmelden", "/abmelden", "/review/confirm", "/review/add", "/api/corrections"} <= set(routes)
    for path in routes:
        assert httpx.post(server + path, data={"name": "anna", "password": PASSWORD}).status_code == 403, path
        assert httpx.post(server + path, json={}).status_code == 403, path
        if path != "/anmelden":  # the sign-in form
            assert httpx.get(server + path).status_code in (404, 405), f"GET {path} must not write"
    client, token = signed_in_client(server, "anna")
    for path in (p for p in routes if p.startswith("/review/speakers/")):
        response = client.post(
            path, data={"csrf": token, "entity": "person:klaus-becker", "name": "X", "kind": "person"}
        )
        assert response.status_code == 403, path
        assert GERMAN("auth.admins_only") in response.text


def test_a_forged_form_without_the_csrf_token_is_refused(page: Page, store: Store, server: str) -> None:
    hartmann = quotation_quoting(store, "„ernüchternd, aber nicht überraschend“")
    sign_in(page, "anna")
    details = open_quotation(page, hartmann.id)
    confirm = details.locator("form[action$='/review/confirm']")
    confirm.locator("input[name=csrf]").evaluate("input => input.remove()")
    confirm.get_by_role("button").click()
    expect(page.locator("main")).to_contain_text(GERMAN("auth.csrf"))
    client, token = signed_in_client(server, "bert")
    [quotation] = [q for q in client.get(f"/api/articles/{ARTICLE}").json()["quotations"] if q["id"] == hartmann.id]
    target = {"article": ARTICLE, "anchor": quotation["anchor"]}
    assert client.post("/review/confirm", data={**target, "csrf": token + "x"}).status_code == 403
    body = {"article_id": ARTICLE, "anchor": quotation["anchor"], "action": "confirm", "expected_version": 0}
    assert client.post("/api/corrections", json=body).status_code == 403
    assert store.history(ARTICLE) == []
    assert client.post("/api/corrections", json=body, headers={"X-CSRF-Token": token}).status_code == 200
    assert [c.reviewer for c in store.history(ARTICLE)] == ["bert"]
    again = client.post("/api/corrections", json=body, headers={"X-CSRF-Token": token})
    assert again.status_code == 409, "the version moved on: a second edit built on version 0 is stale"
    [quotation] = [q for q in client.get(f"/api/articles/{ARTICLE}").json()["quotations"] if q["id"] == hartmann.id]
    assert (quotation["review_state"], quotation["version"]) == ("confirmed", 1)


def test_two_reviewers_editing_the_same_quotation_get_one_conflict_message(
    browser: Browser, server: str, store: Store
) -> None:
    hartmann = quotation_quoting(store, "„ernüchternd, aber nicht überraschend“")
    pages = []
    for name in ("anna", "bert"):
        context = browser.new_context(base_url=server)
        page = new_page(context)
        sign_in(page, name)
        open_quotation(page, hartmann.id)
        pages.append(page)
    for page, medium in zip(pages, ("Writing", "Thought")):
        details = page.locator(f"#qd-{hartmann.id}")
        details.locator(".review-medium select").select_option(medium)
        details.get_by_role("button", name=GERMAN("review.set_medium")).click()
    expect(pages[0].locator("#review-outcome")).to_have_text(GERMAN("review.outcome.saved"))
    expect(pages[1].locator("#review-outcome")).to_have_text(GERMAN("review.outcome.stale"))
    expect(pages[1].locator(f"#qd-{hartmann.id} .d-medium")).to_have_text(GERMAN("medium.Writing"))
    assert [(c.reviewer, c.after) for c in store.history(ARTICLE)] == [("anna", {"medium": "Writing"})]
    for page in pages:
        page.context.close()


def test_names_typed_by_reviewers_are_shown_as_text(page: Page, store: Store) -> None:
    sign_in(page, "chef")
    page.goto("/speakers/person%3Aklaus-becker")
    page.locator("#speaker-review input[name=name]").fill(XSS)
    page.locator("#speaker-review").get_by_role("button", name=GERMAN("review.rename")).click()
    expect(page.locator("h1.speaker-name")).to_have_text(XSS)
    becker = quotation_quoting(store, "die Förderprogramme kämen zu spät")
    for url in (
        "/speakers/person%3Aklaus-becker",
        f"/articles/{ARTICLE}#q-{becker.id}",
        "/search?q=Förderprogramme",
        "/review",
        "/speakers?q=Becker",
    ):
        page.goto(url)
        expect(page.get_by_text(XSS).first).to_be_attached()
        assert page.evaluate("() => [window.pwned, document.querySelectorAll('main img[src=x]').length]") == [None, 0]
    page.goto(f"/articles/{ARTICLE}")
    page.locator("#add-quotation input[name=quote]").fill(XSS)  # not in the article: refused, not echoed
    page.locator("#add-quotation input[name=quote]").press("Enter")
    expect(page.locator("#review-outcome")).to_have_text(GERMAN("review.outcome.no_words"))
    assert page.evaluate("() => window.pwned") is None


def test_session_cookies_are_signed_http_only_and_secure_behind_https(store: Store) -> None:
    https_app = create_app(store, base_url="https://example.org/wortlaut", secret="test-secret")
    client = TestClient(https_app, base_url="https://testserver")  # a Secure cookie only comes back over https
    token = csrf_of(client.get("/anmelden").text)
    response = client.post(
        "/anmelden", data={"name": "anna", "password": PASSWORD, "csrf": token}, follow_redirects=False
    )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("wortlaut_session=") and {"HttpOnly", "Secure", "SameSite=lax"} <= {
        part.strip() for part in cookie.split(";")
    }
    assert response.headers["location"] == "https://example.org/wortlaut/review?review=signed_in"
    value = cookie.split(";")[0].split("=", 1)[1]
    payload, signature = value.split(".")
    claimed = base64.urlsafe_b64decode(payload + "==").decode().replace('"anna"', '"chef"')
    forged = base64.urlsafe_b64encode(claimed.encode()).decode().rstrip("=") + "." + signature
    visitor = TestClient(create_app(store, secret="test-secret"), cookies={"wortlaut_session": forged})
    answer = visitor.post("/review/speakers/rename", data={"entity": "person:klaus-becker", "name": "X"})
    assert answer.status_code == 403 and GERMAN("auth.forbidden") in answer.text


def test_logins_are_throttled_per_name_and_per_client(server: str) -> None:
    client = httpx.Client(base_url=server)
    token = csrf_of(client.get("/anmelden").text)
    for _ in range(5):
        wrong = client.post("/anmelden", data={"name": "anna", "password": "falsch-falsch", "csrf": token})
        assert wrong.status_code == 401 and GERMAN("auth.wrong") in wrong.text
    right = client.post("/anmelden", data={"name": "anna", "password": PASSWORD, "csrf": token})
    assert right.status_code == 429
    assert re.search(GERMAN("auth.throttled").replace("{seconds}", r"\d+"), right.text)
    other = client.post("/anmelden", data={"name": "bert", "password": PASSWORD, "csrf": token})
    assert other.status_code == 429, "the same client is held back for every name"
    assert "wortlaut_session" not in right.headers.get("set-cookie", "")


def test_server_processes_on_one_store_share_the_login_throttle(store: Store) -> None:
    """`serve --workers 2`: two apps, each with its own connection to the store, count failures together."""
    with open_store(store.url) as second_connection:
        first, second = create_app(store, secret="test-secret"), create_app(second_connection, secret="test-secret")
        with serve(first) as one, serve(second) as two:
            clients = [httpx.Client(base_url=url) for url in (one, two, one, two, one)]
            for client in clients:
                token = csrf_of(client.get("/anmelden").text)
                wrong = client.post("/anmelden", data={"name": "anna", "password": "falsch-falsch", "csrf": token})
                assert wrong.status_code == 401
            token = csrf_of(clients[1].get("/anmelden").text)
            right = clients[1].post("/anmelden", data={"name": "anna", "password": PASSWORD, "csrf": token})
            assert right.status_code == 429, "five failures over two processes hold the name back"


def test_a_private_site_shows_only_the_sign_in_page_to_visitors(store: Store) -> None:
    with serve(create_app(store, private=True, secret="test-secret")) as server:
        visitor = httpx.Client(base_url=server)
        for path in ("/", f"/articles/{ARTICLE}", "/speakers", "/review", "/docs"):
            response = visitor.get(path)
            assert (response.status_code, response.headers["location"]) == (303, "/anmelden"), path
        assert visitor.get("/api/quotations").status_code == 401
        assert visitor.get("/openapi.json").status_code == 303
        assert visitor.get("/anmelden").status_code == 200
        assert visitor.get("/static/style.css").status_code == 200
        reviewer, _ = signed_in_client(server, "anna")
        assert reviewer.get("/").status_code == 200
        assert reviewer.get("/api/quotations").json()["total"] == 14


def test_serve_warns_when_reachable_without_https(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WORTLAUT_SECRET", "test-secret")
    runs: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kw: runs.append(kw["host"]))
    db = str(tmp_path / "s.sqlite")
    open_store(db).close()
    runner = CliRunner()
    results = [
        runner.invoke(cli_app, ["serve", "--db", db, "--host", host, "--base-url", base])
        for host, base in (("0.0.0.0", ""), ("0.0.0.0", "https://example.org"), ("127.0.0.1", ""), ("::1", ""))
    ]
    assert [r.exit_code for r in results] == [0, 0, 0, 0], [r.stderr for r in results]
    assert [r.stderr.startswith("warning: serving on 0.0.0.0") for r in results] == [True, False, False, False]
    assert runs == ["0.0.0.0", "0.0.0.0", "127.0.0.1", "::1"]
