"""The overview pages in a real browser (Debian's Chromium via Playwright) over the small store of
test_analytics.py plus one article whose outlet and speaker names are markup and contain a slash.

Uses test_web.py's server, browser and page fixtures (the page fails on any request leaving the machine
and on any console error, so the vendored charts must draw under the Content-Security-Policy).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import test_web
from playwright.sync_api import Browser, Page, expect
from test_analytics import CORPUS, article

from wortlaut.document import Entity
from wortlaut.store import Store, open_store
from wortlaut.web.i18n import Messages
from wortlaut.web.overview import Labels, outlet_url

HOSTILE_OUTLET = "Blatt </script><b>Süd</b>/Nord"
HOSTILE_SPEAKER = Entity("person:eva-lang", "Eva <i>Lang</i>", "person", [], [])
PAGES = ("/dashboard", "/outlets", "/outlets/taz", "/outlets/compare?a=taz&b=FAZ", "/balance")
# English the overview pages used to show; none of it may be left on the German pages (charts and menus included).
ENGLISH = re.compile(
    r"\b(Quotations?|quotations|Most quoted|Outlets?|Media|Types|Kinds?|Gender|Balance|Speakers?|Since|Until|Per"
    r"|Apply|any|all|Download|Compare|Side by side|month|week|day|period|share|count|female|male|unknown|person"
    r"|organisation|anonymous|unresolved|Nothing|Data as a table|menu|Save as|over time|Corpus|trust|role noun)\b"
)
ENTITY_ID = re.compile(r"\b[a-z]+:[\w-]+")
server, browser, page = test_web.server, test_web.browser, test_web.page  # the served store below, in Chromium


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    hostile = article("a5", "2024-02-06", HOSTILE_OUTLET, [("Eva <i>Lang</i>", HOSTILE_SPEAKER, "Direct", "Speech", 1)])
    with open_store(str(tmp_path_factory.mktemp("overview") / "overview.sqlite")) as opened:
        assert opened.add_documents([*CORPUS, hostile]).stored == 5
        yield opened


def drawn_charts(page: Page) -> list[str]:
    """Names of the charts vega-embed finished drawing (each ends as an <svg> in its figure)."""
    charts = page.locator(".ov-vega")
    expect(charts.first).to_have_attribute("data-drawn", "true")
    for index in range(charts.count()):
        expect(charts.nth(index)).to_have_attribute("data-drawn", "true")
        expect(charts.nth(index).locator("svg").first).to_be_visible()
    return [charts.nth(i).get_attribute("data-chart") or "" for i in range(charts.count())]


def table_rows(page: Page, name: str) -> list[list[str]]:
    cells = page.locator(f"#table-{name} tbody tr")
    return [[c.strip() for c in cells.nth(i).locator("td").all_inner_texts()] for i in range(cells.count())]


def test_dashboard_draws_every_chart_and_the_range_filters_everything(page: Page) -> None:
    page.goto("/dashboard")
    assert drawn_charts(page) == ["timeline", "top_speakers", "types", "media"]
    expect(page.locator("#chart-timeline")).to_have_attribute(
        "aria-label", "Zitate im Zeitverlauf: 2 Zeiträume; am meisten 6 im Zeitraum Jan. 2024"
    )
    assert table_rows(page, "quality") == [
        ["Zitate", "10", "100,0 %"],
        ["Sprecher nicht zugeordnet", "1", "10,0 %"],
        ["Konfidenz unter 0,5", "2", "20,0 %"],
        ["ohne Artikeldatum", "1", "10,0 %"],
    ]
    assert table_rows(page, "top_speakers")[0] == ["person:anna-weber", "Anna Weber", "Person", "weiblich", "3"]
    page.fill("input[name=since]", "2024-01-15")
    page.select_option("select[name=period]", "week")
    page.click(".ov-filters button")
    expect(page).to_have_url("/dashboard?since=2024-01-15&until=&period=week&type=&medium=&source=")
    assert table_rows(page, "timeline") == [["KW 3/2024", "3"], ["KW 6/2024", "3"]]
    assert table_rows(page, "quality")[0] == ["Zitate", "6", "100,0 %"]
    expect(page.locator("#table-types")).to_contain_text("Direkt")
    expect(page.locator(".ov-types-help")).to_contain_text("Direkte Rede")


def test_outlet_page_lists_its_speakers_and_their_trend(page: Page) -> None:
    page.goto("/outlets")
    assert [row[0] for row in table_rows(page, "outlets")] == ["taz", "FAZ", HOSTILE_OUTLET]
    page.click("#table-outlets a:text-is('taz')")
    expect(page.locator("h1")).to_have_text("Quelle: taz")
    assert drawn_charts(page) == ["speakers", "trend"]
    assert [row[1:] for row in table_rows(page, "speakers")] == [
        ["Anna Weber", "Person", "weiblich", "3"],
        ["Kim Ober", "Person", "unbekannt", "1"],
        ["Tim Berg", "Person", "männlich", "1"],
    ]
    assert table_rows(page, "trend")[0] == ["Jan. 2024", "person:anna-weber", "Anna Weber", "2", "66,7 %"]


def test_compare_page_shows_two_outlets_side_by_side(page: Page) -> None:
    page.goto("/outlets")
    page.select_option(".ov-compare select[name=a]", "taz")
    page.select_option(".ov-compare select[name=b]", "FAZ")
    page.click(".ov-compare button")
    expect(page).to_have_url("/outlets/compare?a=taz&b=FAZ")
    assert drawn_charts(page) == ["speakers", "timeline", "gender"]
    rows = {row[1]: row[2:] for row in table_rows(page, "speakers")}
    assert rows["Anna Weber"] == ["3", "60,0 %", "0", "0,0 %"]
    assert rows["Kim Ober"] == ["1", "20,0 %", "1", "25,0 %"]


def test_csv_and_jsonl_downloads_hold_the_listed_rows(page: Page, tmp_path: Path) -> None:
    """The page shows the reader's words; the files keep the API's English keys and values."""
    page.goto("/balance?source=taz")
    assert table_rows(page, "gender")[0] == ["alle", "weiblich", "3", "60,0 %"]
    expect(page.locator("#table-speakers tbody tr").first).to_contain_text("Rollenbezeichnung Ministerin")
    with page.expect_download() as info:
        page.click("#table-gender a[data-format=csv]")
    assert info.value.suggested_filename == "balance-gender.csv"
    path = tmp_path / "gender.csv"
    info.value.save_as(path)
    with path.open(encoding="utf-8") as lines:
        assert list(csv.reader(lines)) == [
            ["group", "category", "count", "share"],
            ["all", "female", "3", "0.6"],
            ["all", "male", "1", "0.2"],
            ["all", "unknown", "1", "0.2"],
        ]
    with page.expect_download() as info:
        page.click("#table-speakers a[data-format=jsonl]")
    info.value.save_as(tmp_path / "speakers.jsonl")
    speakers = [json.loads(line) for line in (tmp_path / "speakers.jsonl").read_text(encoding="utf-8").splitlines()]
    assert speakers[0] == {
        "entity_id": "person:anna-weber",
        "name": "Anna Weber",
        "kind": "person",
        "gender": "female",
        "count": 3,
        "evidence": "role noun Ministerin",
    }


@pytest.mark.parametrize("fmt", ["PNG", "SVG"])
def test_every_chart_exports_as_an_image(page: Page, fmt: str) -> None:
    page.goto("/balance")
    for name in drawn_charts(page):
        chart = page.locator(f"#chart-{name}")
        chart.locator("details summary").click()
        with page.expect_download() as info:
            chart.locator(".vega-actions a", has_text=fmt).click()
        assert info.value.suggested_filename == f"{name}.{fmt.lower()}"
        assert Path(info.value.path()).stat().st_size > 200
        page.keyboard.press("Escape")


def test_markup_in_names_stays_text_and_outlet_urls_are_encoded(page: Page) -> None:
    page.goto(outlet_url(HOSTILE_OUTLET))
    expect(page.locator("h1")).to_have_text(f"Quelle: {HOSTILE_OUTLET}")
    assert page.locator("main b, main i").count() == 0
    assert drawn_charts(page) == ["speakers", "trend"]
    expect(page.locator("#table-speakers")).to_contain_text("Eva <i>Lang</i>")
    page.goto("/dashboard")
    expect(page.locator("#table-outlets")).to_contain_text(HOSTILE_OUTLET)
    assert page.locator("main b, main i").count() == 0


def test_no_sideways_scrolling_at_phone_width(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=server)
    phone = context.new_page()
    for url in ("/dashboard", "/outlets", "/outlets/taz", "/outlets/compare?a=taz&b=FAZ", "/balance"):
        phone.goto(url)
        drawn = phone.locator(".ov-vega[data-drawn=true]")
        expect(drawn).to_have_count(phone.locator(".ov-vega").count())
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url} is {width}px wide at a 390px viewport"
    context.close()


def test_api_twins_are_documented_and_answer_json(page: Page) -> None:
    schema = page.request.get("/openapi.json").json()
    for path in ("/api/dashboard", "/api/outlets", "/api/outlets/compare", "/api/outlets/{outlet}", "/api/balance"):
        assert path in schema["paths"], path
    answer = page.request.get("/api/dashboard?since=2024-02-01&period=day").json()
    assert answer["filters"] == {"since": "2024-02-01", "period": "day"}
    assert answer["tables"]["timeline"] == [{"period": "2024-02-05", "count": 2}, {"period": "2024-02-06", "count": 1}]
    assert page.request.get("/api/dashboard?format=csv&table=nothing").status == 404
    assert page.request.get("/api/outlets/Nirgendwo").status == 404
    assert page.request.get("/api/dashboard?since=2024-03-01&until=2024-01-01").status == 422


def visible_words(page: Page) -> str:
    """What a reader meets on the page: its text, the charts' own text (axes, legends, menu) and their labels."""
    charts = page.locator(".ov-vega")
    return "\n".join(
        [
            page.locator("body").inner_text(),
            *(charts.nth(i).text_content() or "" for i in range(charts.count())),
            *(charts.nth(i).get_attribute("aria-label") or "" for i in range(charts.count())),
            page.title(),
        ]
    )


def test_overview_speaks_german_by_default(page: Page) -> None:
    page.goto("/dashboard")
    drawn_charts(page)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("h1")).to_have_text("Überblick über den Bestand")
    expect(page.locator("nav a", has_text="Überblick")).to_have_attribute("href", "/dashboard")
    expect(page.locator("#chart-timeline + figcaption")).to_contain_text("Zitate im Zeitverlauf")
    expect(page.locator("#chart-types svg.marks")).to_contain_text("Berichtet")
    expect(page.locator("#chart-timeline .vega-actions")).to_contain_text("Als PNG speichern")
    assert page.locator("#table-top_speakers th").all_inner_texts() == [
        "Sprecher-ID",
        "Name",
        "Art",
        "Geschlecht",
        "Zitate",
    ]
    assert page.locator("select[name=period] option").all_inner_texts() == ["Tag", "Woche", "Monat"]
    expect(page.locator("#table-quality .ov-downloads")).to_contain_text("Herunterladen")
    page.goto("/balance")
    drawn_charts(page)
    kinds = {row[1] for row in table_rows(page, "kinds")}
    assert kinds <= {"Person", "Organisation", "Staat", "Medium", "anonym", "nicht zugeordnet"} and "Person" in kinds
    expect(page.locator("#chart-gender_by_outlet svg.marks")).to_contain_text("unbekannt")


@pytest.mark.parametrize("path", PAGES)
def test_no_english_is_left_on_the_german_pages(page: Page, path: str) -> None:
    page.goto(path)
    if page.locator(".ov-vega").count():
        drawn_charts(page)
    words = ENTITY_ID.sub("", visible_words(page))  # entity ids (person:anna-weber) are data, not words
    assert ENGLISH.findall(words) == []


def test_overview_in_english_with_lang_en_and_remembered(page: Page) -> None:
    page.goto("/dashboard?lang=en")
    drawn_charts(page)
    assert {"Quotations", "share", "Download"} <= set(ENGLISH.findall(visible_words(page)))  # the check can see them
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Corpus overview")
    expect(page.locator("#chart-timeline")).to_have_attribute(
        "aria-label", "Quotations over time: 2 periods; highest 6 in Jan 2024"
    )
    assert table_rows(page, "quality")[2] == ["confidence below 0.5", "2", "20.0 %"]
    assert table_rows(page, "top_speakers")[0] == ["person:anna-weber", "Anna Weber", "person", "female", "3"]
    expect(page.locator("#chart-timeline .vega-actions")).to_contain_text("Save as PNG")
    page.goto("/balance?source=taz")  # the cookie keeps English
    expect(page.locator("h1")).to_have_text("Balance of voices")
    assert table_rows(page, "gender")[0] == ["all", "female", "3", "60.0 %"]
    assert page.locator("select[name=period] option").all_inner_texts() == ["day", "week", "month"]


@pytest.mark.parametrize(
    ("lang", "column", "value", "shown"),
    [
        ("de", "period", "2024-05-17", "17.05.2024"),
        ("de", "period", "2024-W03", "KW 3/2024"),
        ("en", "period", "2024-W03", "week 3, 2024"),
        ("de", "period", "2024-05", "Mai 2024"),
        ("de", "share", 0.6667, "66,7 %"),
        ("de", "count", 12345, "12.345"),
        ("en", "count", 12345, "12,345"),
        ("de", "kind", "state", "Staat"),
        ("de", "category", "unresolved", "nicht zugeordnet"),
        ("de", "gender", "male", "männlich"),
        ("de", "medium", "none", "Keines"),
        ("de", "kind", "robot", "robot"),
        (
            "de",
            "evidence",
            "conflicting: role noun Ministerin; pronoun er",
            "widersprüchlich: Rollenbezeichnung Ministerin; Pronomen er",
        ),
        ("de", "evidence", "Frau Weber", "Frau Weber"),
        ("de", "name", None, "–"),
    ],
)
def test_table_values_in_the_readers_words(lang: str, column: str, value: object, shown: str) -> None:
    assert Labels(Messages(lang)).value(column, value) == shown
