"""The overview pages in a real browser (Debian's Chromium via Playwright) over the small store of
test_analytics.py plus one article whose outlet and speaker names are markup and contain a slash.

Uses test_web.py's server, browser and page fixtures (the page fails on any request leaving the machine
and on any console error, so the vendored charts must draw under the Content-Security-Policy).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import test_web
from playwright.sync_api import Browser, Page, expect
from test_analytics import CORPUS, article

from wortlaut.document import Entity
from wortlaut.store import Store, open_store
from wortlaut.web.overview import outlet_url

HOSTILE_OUTLET = "Blatt </script><b>Süd</b>/Nord"
HOSTILE_SPEAKER = Entity("person:eva-lang", "Eva <i>Lang</i>", "person", [], [])
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
        "aria-label", "Quotations per month: 2 periods; highest 6 in 2024-01"
    )
    assert table_rows(page, "quality") == [
        ["quotations", "10", "100.0 %"],
        ["unresolved speaker", "1", "10.0 %"],
        ["confidence below 0.5", "2", "20.0 %"],
        ["no article date", "1", "10.0 %"],
    ]
    assert table_rows(page, "top_speakers")[0] == ["person:anna-weber", "Anna Weber", "person", "female", "3"]
    page.fill("input[name=since]", "2024-01-15")
    page.select_option("select[name=period]", "week")
    page.click(".ov-filters button")
    expect(page).to_have_url("/dashboard?since=2024-01-15&until=&period=week&type=&medium=&source=")
    assert table_rows(page, "timeline") == [["2024-W03", "3"], ["2024-W06", "3"]]
    assert table_rows(page, "quality")[0] == ["quotations", "6", "100.0 %"]
    expect(page.locator("#table-types")).to_contain_text("Direct")
    expect(page.locator(".ov-types-help")).to_contain_text("Direkte Rede")


def test_outlet_page_lists_its_speakers_and_their_trend(page: Page) -> None:
    page.goto("/outlets")
    assert [row[0] for row in table_rows(page, "outlets")] == ["taz", "FAZ", HOSTILE_OUTLET]
    page.click("#table-outlets a:text-is('taz')")
    expect(page.locator("h1")).to_have_text("Outlet: taz")
    assert drawn_charts(page) == ["speakers", "trend"]
    assert [row[1:] for row in table_rows(page, "speakers")] == [
        ["Anna Weber", "person", "female", "3"],
        ["Kim Ober", "person", "unknown", "1"],
        ["Tim Berg", "person", "male", "1"],
    ]
    assert table_rows(page, "trend")[0] == ["2024-01", "person:anna-weber", "Anna Weber", "2", "66.7 %"]


def test_compare_page_shows_two_outlets_side_by_side(page: Page) -> None:
    page.goto("/outlets")
    page.select_option(".ov-compare select[name=a]", "taz")
    page.select_option(".ov-compare select[name=b]", "FAZ")
    page.click(".ov-compare button")
    expect(page).to_have_url("/outlets/compare?a=taz&b=FAZ")
    assert drawn_charts(page) == ["speakers", "timeline", "gender"]
    rows = {row[1]: row[2:] for row in table_rows(page, "speakers")}
    assert rows["Anna Weber"] == ["3", "60.0 %", "0", "0.0 %"]
    assert rows["Kim Ober"] == ["1", "20.0 %", "1", "25.0 %"]


def test_csv_and_jsonl_downloads_hold_the_listed_rows(page: Page, tmp_path: Path) -> None:
    page.goto("/balance?source=taz")
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
    expect(page.locator("h1")).to_have_text(f"Outlet: {HOSTILE_OUTLET}")
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
