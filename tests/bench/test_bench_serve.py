"""The pure helpers of `wortlaut bench --only serve` (the bench itself is never a test: it measures time)."""

from __future__ import annotations

import asyncio
from collections import Counter

from wortlaut.api import SearchFilters
from wortlaut.bench.serve import (
    MIX,
    Connection,
    Probe,
    Targets,
    percentile,
    phrase_of,
    request_plan,
    search_params,
)

TARGETS = Targets(
    articles=[("a/b 1", "Müller & Söhne <GmbH>")],
    speakers=[("person:anna-berg", 'Anna "die Kluge" Berg')],
    quotations=[('"Wir bauen die Brücke"', "„Wir bauen die Brücke neu“")],
    searches=[("q=Br%C3%BCcke", 200)],
)


def test_percentile_interpolates_between_ranks() -> None:
    hundred = [float(v) for v in range(100, 0, -1)]
    assert [percentile(hundred, p) for p in (50, 95, 99)] == [50.5, 95.05, 99.01]
    assert [percentile([10.0, 20.0, 30.0, 40.0], p) for p in (50, 95)] == [25.0, 38.5]
    assert percentile([7.0], 95) == 7.0


def test_search_params_use_the_apps_names_and_whole_dates() -> None:
    filters = SearchFilters(query="Klima", type="Direct", date_from="2010", date_to="2012", source="source-3")
    assert search_params(filters) == [
        ("q", "Klima"),
        ("type", "Direct"),
        ("source", "source-3"),
        ("since", "2010-01-01"),
        ("until", "2012-12-31"),
    ]
    assert search_params(SearchFilters(speaker="Anna Berg", date_from="2005-01-01", date_to="2010-06-30")) == [
        ("speaker", "Anna Berg"),
        ("since", "2005-01-01"),
        ("until", "2010-06-30"),
    ]


def test_phrase_of_takes_the_first_four_words_without_punctuation() -> None:
    assert phrase_of("„Wir können uns einen Neubau schlicht nicht leisten“") == '"Wir können uns einen"'


def test_request_plan_follows_the_mix_and_expects_each_pages_content() -> None:
    plan = request_plan(TARGETS, 40)
    assert Counter(p.kind for p in plan) == {kind: 2 * count for kind, count in MIX}
    assert [p.kind for p in plan[:7]] == ["search_page"] * 6 + ["api_search"]
    assert set(plan) == {
        Probe("search_page", "/search?q=Br%C3%BCcke", "</html>"),
        Probe("api_search", "/api/quotations?q=Br%C3%BCcke", '"total":'),
        Probe("known_quotation", "/api/quotations?q=%22Wir+bauen+die+Br%C3%BCcke%22", '"„Wir bauen die Brücke neu“"'),
        Probe("article_page", "/articles/a%2Fb%201", "<h1>Müller &amp; Söhne &lt;GmbH&gt;</h1>"),
        Probe("api_article", "/api/articles/a%2Fb%201", '"a/b 1"'),
        Probe(
            "speaker_page",
            "/speakers/person%3Aanna-berg",
            '<h1 class="speaker-name">Anna &#34;die Kluge&#34; Berg</h1>',
        ),
        Probe("api_speaker", "/api/speakers/person%3Aanna-berg", '"Anna \\"die Kluge\\" Berg"'),
    }


def test_an_unreadable_search_is_expected_to_answer_400() -> None:
    targets = Targets(TARGETS.articles, TARGETS.speakers, TARGETS.quotations, [("q=%22offen", 400)])
    searches = {p for p in request_plan(targets, 20) if p.kind in ("search_page", "api_search")}
    assert searches == {
        Probe("search_page", "/search?q=%22offen", "</html>", 400),
        Probe("api_search", "/api/quotations?q=%22offen", '"detail":', 400),
    }


def test_request_plan_is_the_same_on_every_run() -> None:
    many = Targets([("a", "A"), ("b", "B"), ("c", "C")], TARGETS.speakers, TARGETS.quotations, TARGETS.searches)
    assert request_plan(many, 60) == request_plan(many, 60)
    assert [p.path for p in request_plan(many, 20) if p.kind == "article_page"] == [
        "/articles/a",
        "/articles/c",
        "/articles/c",
    ]


#: What the little server answers, in turn: a body with its length, a chunked one, one ended by closing.
ANSWERS = [
    "HTTP/1.1 200 OK\r\ncontent-length: 7\r\n\r\nBrücke".encode(),
    b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nkein\r\n6\r\n Platz\r\n0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nzu Ende",
]


def test_the_light_client_reads_each_kind_of_body_over_one_kept_connection() -> None:
    async def scenario() -> tuple[list[tuple[int, str]], list[str], int]:
        paths: list[str] = []
        connections = 0

        async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            nonlocal connections
            connections += 1
            while head := await reader.readuntil(b"\r\n\r\n"):
                paths.append(head.decode().split()[1])
                writer.write(ANSWERS[len(paths) - 1])
                await writer.drain()
                if len(paths) == len(ANSWERS):
                    writer.close()
                    return

        server = await asyncio.start_server(answer, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        connection = Connection("127.0.0.1", port)
        got = [await connection.get(f"/{n}?q=Br%C3%BCcke") for n in range(len(ANSWERS))]
        server.close()
        return got, paths, connections

    got, paths, connections = asyncio.run(scenario())
    assert got == [(200, "Brücke"), (404, "kein Platz"), (200, "zu Ende")]
    assert paths == ["/0?q=Br%C3%BCcke", "/1?q=Br%C3%BCcke", "/2?q=Br%C3%BCcke"] and connections == 1
