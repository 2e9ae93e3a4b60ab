"""Serve section of `wortlaut bench`: the web app as its readers meet it, a real server under concurrent clients.

The example articles are analysed once and replicated under new ids (as `store-search` fills its store)
until the store holds at least 100,000 quotations. `wortlaut serve` then runs in its own process on a free
loopback port, and 50 clients (asyncio, each with one keep-alive connection; see Connection) send a fixed mix
of searches, article, speaker and API requests; a request counts as an error unless it answers with the status
and content expected of it (an article's heading, a speaker's name, a known quotation).

Phase `load`: the server alone for a minute, sent the same 6,000 requests over and over (about 350 different
pages, so past the first rounds its page cache answers nearly all of them). Phase `ingest`: two `wortlaut
ingest` processes store new articles into the same store meanwhile, each write emptying the page caches, and
the clients go on until both are done; then every new article must be served. Phase `no_cache_load`: the server
alone again, started with `--no-cache`, so every page is rendered afresh (what the page cache buys).
SQLite always; PostgreSQL too when a throw-away server can be started.

The clients run on the same cores as the server, so they are kept light (raw HTTP/1.1 rather than httpx, which
took 3 ms of CPU per request, more than the server needs for a cached page).

Measured 2026-11-30 on a busy machine (load about 8 on 2 cores), p95: load 59 ms (SQLite, 2,524 requests/s)
and 34 ms (PostgreSQL, 2,972/s); ingest 605 ms and 232 ms; no cache 1.73 s (65/s) and 1.15 s (118/s); 0 errors.
The code before, same machine, httpx clients: 26 and 8.8 requests/s, p95 5.4 s and 14.8 s.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from .. import api, settings
from ..api import QueryError, SearchFilters, Store, open_store
from ..document import Document
from ..store.pgserver import create_database, temporary_server
from .common import BenchConfig, Figures
from .store import SEARCH_QUOTATIONS, fill, varied_queries

CLIENTS = 50
WARMUP_REQUESTS = 200
#: The load phases send these requests (drawn once, the same on every run) over and over for LOAD_SECONDS,
#: so a fast server is measured at its steady state rather than at its cold start.
LOAD_REQUESTS = 6000
LOAD_SECONDS = 60.0
#: Articles each of the two ingest processes stores while the server is under load.
INGEST_ARTICLES = 60
INGEST_SECONDS = 300.0
START_SECONDS = 60.0
TIMEOUT_SECONDS = 30.0
#: Requests of each kind in every 20 (the order they come in, repeated).
MIX = (
    ("search_page", 6),
    ("api_search", 3),
    ("known_quotation", 2),
    ("article_page", 3),
    ("api_article", 2),
    ("speaker_page", 3),
    ("api_speaker", 1),
)


@dataclass(frozen=True)
class Probe:
    """One request, and the status and a piece of text its response must have to count as correct."""

    kind: str
    path: str
    expect: str
    status: int = 200


@dataclass(frozen=True)
class Targets:
    """What the store is known to hold, so every response can be checked: (id, heading) of articles,
    (id, name) of speakers, (phrase query, quote) of quotations the phrase finds on its first page, and
    (GET parameters, status) of searches: 400 for a query the store cannot read."""

    articles: list[tuple[str, str]]
    speakers: list[tuple[str, str]]
    quotations: list[tuple[str, str]]
    searches: list[tuple[str, int]]


@dataclass(frozen=True)
class Outcome:
    kind: str
    ms: float
    problem: str | None


def percentile(values: list[float], p: int) -> float:
    """The p-th percentile (1 to 99), interpolated between the closest ranks as numpy's default does."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def search_params(filters: SearchFilters) -> list[tuple[str, str]]:
    """The filters as the web app's GET parameters; a bare year becomes its first or last day, as the app
    takes whole dates only."""
    params = [("q", filters.query), ("speaker", filters.speaker), ("entity", filters.entity)]
    params += [("type", filters.type), ("medium", filters.medium), ("source", filters.source)]
    if filters.date_from:
        params.append(("since", filters.date_from if len(filters.date_from) == 10 else f"{filters.date_from}-01-01"))
    if filters.date_to:
        params.append(("until", filters.date_to if len(filters.date_to) == 10 else f"{filters.date_to}-12-31"))
    return [(name, value) for name, value in params if value]


def html_text(text: str) -> str:
    """Text as the templates render it (Jinja's autoescape)."""
    from markupsafe import escape

    return str(escape(text))


def probe(kind: str, targets: Targets, rng: random.Random) -> Probe:
    """One request of the given kind on a target picked at random."""
    if kind in ("search_page", "api_search"):
        query, status = rng.choice(targets.searches)
        if kind == "search_page":
            return Probe(kind, f"/search?{query}", "</html>", status)
        return Probe(kind, f"/api/quotations?{query}", '"total":' if status == 200 else '"detail":', status)
    if kind == "known_quotation":
        phrase, text = rng.choice(targets.quotations)
        return Probe(kind, f"/api/quotations?{urlencode({'q': phrase})}", json.dumps(text, ensure_ascii=False))
    if kind in ("article_page", "api_article"):
        article_id, heading = rng.choice(targets.articles)
        if kind == "article_page":
            return Probe(kind, f"/articles/{quote(article_id, safe='')}", f"<h1>{html_text(heading)}</h1>")
        return Probe(kind, f"/api/articles/{quote(article_id, safe='')}", json.dumps(article_id, ensure_ascii=False))
    entity_id, name = rng.choice(targets.speakers)
    if kind == "speaker_page":
        return Probe(kind, f"/speakers/{quote(entity_id, safe='')}", f'<h1 class="speaker-name">{html_text(name)}</h1>')
    return Probe(kind, f"/api/speakers/{quote(entity_id, safe='')}", json.dumps(name, ensure_ascii=False))


def request_plan(targets: Targets, n: int, seed: int = 11) -> list[Probe]:
    """n requests in the proportions of MIX, the same ones on every run."""
    rng = random.Random(seed)
    kinds = [kind for kind, count in MIX for _ in range(count)]
    return [probe(kinds[i % len(kinds)], targets, rng) for i in range(n)]


def phrase_of(text: str) -> str:
    """The quote's first four words as a phrase query (punctuation dropped, as the full-text index does)."""
    return '"' + " ".join(re.findall(r"\w+", text)[:4]) + '"'


def known_targets(store: Store) -> Targets:
    """Targets read from the filled store before it is served; a quotation counts as known only if its
    phrase finds it on the first page of 20."""
    total = store.stats().articles
    articles = [
        (a.id, a.title or a.id)
        for offset in range(0, total, max(1, total // 10))
        for a in store.articles(limit=5, offset=offset)
    ]
    speakers = [(e.id, e.name) for e in store.entities(limit=40)]
    quotations = []
    for text in sorted({hit.quote for hit in store.search(limit=200)}):
        phrase = phrase_of(text)
        if any(hit.quote == text for hit in store.search(SearchFilters(query=phrase), limit=20)):
            quotations.append((phrase, text))
    searches = [(urlencode(search_params(f)), readable_status(store, f)) for f in varied_queries(store, 100)]
    return Targets(articles, speakers, quotations, searches)


def readable_status(store: Store, filters: SearchFilters) -> int:
    """The status the app answers a search with: 400 when the query cannot be read."""
    try:
        store.count(filters)
    except QueryError:
        return 400
    return 200


def example_articles(config: BenchConfig) -> list[Document]:
    """The repository's example articles, analysed once."""
    if not settings.EXAMPLES_DIR.is_dir():
        raise FileNotFoundError(f"{settings.EXAMPLES_DIR}: example articles not found (a clone ships them)")
    docs = [doc for doc in api.read([str(settings.EXAMPLES_DIR)]) if isinstance(doc, Document)]
    return [api.analyze_article(doc, extractor=config.extractor) for doc in docs]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wortlaut_command(*args: str) -> list[str]:
    """The CLI run by this same interpreter, so the server and ingest use the code being measured."""
    return [sys.executable, "-c", "from wortlaut.cli import main; main()", *args]


class Connection:
    """One client's keep-alive HTTP/1.1 connection, speaking just enough of the protocol for the bench's GETs.

    The clients share the server's two cores, so they should cost little: httpx spends about as much CPU on a
    request as the server spends answering it from its cache, which would measure the client rather than the
    server. Bodies come with a Content-Length (every response of the app) or chunked."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str) -> tuple[int, str]:
        """(status, body) of a GET; the connection is opened on first use and again after an error."""
        try:
            return await asyncio.wait_for(self._get(path), TIMEOUT_SECONDS)
        except BaseException:
            self.close()
            raise

    async def _get(self, path: str) -> tuple[int, str]:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n".encode("ascii"))
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in head[1:])}
        if "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            body = await read_chunked(reader)
        else:
            body = await reader.read()
            self.close()
        if headers.get("connection") == "close":
            self.close()
        return int(head[0].split()[1]), body.decode("utf-8")

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = b""
    while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
        body += await reader.readexactly(size)
        await reader.readexactly(2)
    await reader.readuntil(b"\r\n")
    return body


async def fetch(connection: Connection, probe: Probe) -> Outcome:
    start = time.perf_counter()
    try:
        status, text = await connection.get(probe.path)
        if status != probe.status:
            problem: str | None = f"{probe.path}: HTTP {status}"
        else:
            problem = None if probe.expect in text else f"{probe.path}: expected {probe.expect!r} missing"
    except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as err:  # timeouts: OSError
        problem = f"{probe.path}: {type(err).__name__} {err}"
    return Outcome(probe.kind, (time.perf_counter() - start) * 1000, problem)


async def drive(base_url: str, plan: Iterable[Probe], done: Callable[[], bool]) -> tuple[list[Outcome], float]:
    """CLIENTS clients take the plan's requests in turn until it is used up or `done()`; (outcomes, seconds)."""
    address = urlsplit(base_url)
    outcomes: list[Outcome] = []
    requests = iter(plan)

    async def client_loop() -> None:
        connection = Connection(address.hostname or "127.0.0.1", address.port or 80)
        try:
            for probe in requests:
                if done():
                    return
                outcomes.append(await fetch(connection, probe))
        finally:
            connection.close()

    start = time.perf_counter()
    await asyncio.gather(*(client_loop() for _ in range(CLIENTS)))
    return outcomes, time.perf_counter() - start


def summary(outcomes: list[Outcome], seconds: float) -> Figures:
    """Rate, latency percentiles (overall and p95 by kind) and errors, with the first error's text."""
    ms = [o.ms for o in outcomes]
    problems = [o.problem for o in outcomes if o.problem]
    figures: Figures = {
        "requests": len(outcomes),
        "seconds": round(seconds, 1),
        "requests_per_s": round(len(outcomes) / seconds, 1),
        **{f"p{p}_ms": round(percentile(ms, p), 1) for p in (50, 95, 99)},
        "max_ms": round(max(ms), 1),
        "errors": len(problems),
    }
    for kind, _ in MIX:
        of_kind = [o.ms for o in outcomes if o.kind == kind]
        if of_kind:
            figures[f"p95_ms_{kind}"] = round(percentile(of_kind, 95), 1)
    if problems:
        figures["first_error"] = problems[0]
    return figures


@contextmanager
def server(url: str, log: Path, cache: bool = True) -> Iterator[str]:
    """`wortlaut serve` on the store, on a free loopback port; yields its base URL once it answers."""
    import httpx

    port = free_port()
    args = ["serve", "--db", url, "--port", str(port), "--workers", "0", *([] if cache else ["--no-cache"])]
    with log.open("w") as out:
        process = subprocess.Popen(wortlaut_command(*args), stdout=out, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"wortlaut serve did not start: {log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{base_url}/api/articles?per_page=1").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def live_articles(examples: list[Document], name: str, n: int) -> list[dict[str, str | None]]:
    """New articles for one ingest process: the example texts again, under ids of their own."""
    rows = []
    for i in range(n):
        doc = examples[i % len(examples)]
        article_id = f"live-{name}-{i}"
        rows.append(
            {"id": article_id, "text": f"{doc.text}\n\nNachtrag {article_id}", "title": doc.title, "date": doc.date}
        )
    return rows


def start_ingest(url: str, path: Path, config: BenchConfig) -> subprocess.Popen[bytes]:
    args = ["ingest", str(path), "--db", url, "--workers", "1", "--batch-size", "5"]
    if config.extractor:
        args += ["--extractor", config.extractor]
    with path.with_suffix(".log").open("w") as log:
        return subprocess.Popen(wortlaut_command(*args), stdout=log, stderr=subprocess.STDOUT)


def under_ingest(
    base_url: str, url: str, targets: Targets, examples: list[Document], tmp: Path, config: BenchConfig
) -> Figures:
    """Load while two ingest processes write into the store; afterwards every new article must be served."""
    rows = {name: live_articles(examples, name, INGEST_ARTICLES) for name in ("a", "b")}
    processes = []
    for name, articles in rows.items():
        path = tmp / f"live-{name}.jsonl"
        path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in articles), encoding="utf-8")
        processes.append(start_ingest(url, path, config))
    deadline = time.monotonic() + INGEST_SECONDS

    def done() -> bool:
        return all(p.poll() is not None for p in processes) or time.monotonic() > deadline

    plan = cycle(request_plan(targets, LOAD_REQUESTS, seed=12))
    outcomes, seconds = asyncio.run(drive(base_url, plan, done))
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait()
    stored = [Probe("api_article", f"/api/articles/{row['id']}", f'"{row["id"]}"') for r in rows.values() for row in r]
    checked, _ = asyncio.run(drive(base_url, stored, lambda: False))
    figures = summary(outcomes, seconds)
    figures["exit_codes"] = ",".join(str(p.returncode) for p in processes)
    figures["articles_served_after"] = f"{sum(o.problem is None for o in checked)}/{len(stored)}"
    return figures


def serve_backend(url: str, examples: list[Document], config: BenchConfig, tmp: Path) -> Figures:
    """Fill the store, measure the server alone, then while two ingests write into it; then the server alone
    again with its page cache turned off (`serve --no-cache`), to show what the cache buys."""
    with open_store(url) as store:
        fill_s = fill(store, examples, SEARCH_QUOTATIONS)
        if store.db.kind == "postgres":
            store.db.execute("ANALYZE")
        targets = known_targets(store)
        stats = store.stats()
    figures: Figures = {"quotations": stats.quotations, "articles": stats.articles, "fill_s": round(fill_s, 1)}
    with server(url, tmp / "serve.log") as base_url:
        figures.update({f"load_{k}": v for k, v in alone(base_url, targets).items()})
        ingest = under_ingest(base_url, url, targets, examples, tmp, config)
        figures.update({f"ingest_{k}": v for k, v in ingest.items()})
    with server(url, tmp / "serve-no-cache.log", cache=False) as base_url:
        figures.update({f"no_cache_load_{k}": v for k, v in alone(base_url, targets).items()})
    return figures


def alone(base_url: str, targets: Targets) -> Figures:
    """The server alone: a warm-up, then the plan's requests, repeated, for LOAD_SECONDS."""
    asyncio.run(drive(base_url, request_plan(targets, WARMUP_REQUESTS, seed=10), lambda: False))
    deadline = time.monotonic() + LOAD_SECONDS
    plan = cycle(request_plan(targets, LOAD_REQUESTS))
    outcomes, seconds = asyncio.run(drive(base_url, plan, lambda: time.monotonic() > deadline))
    return summary(outcomes, seconds)


def serve_load(config: BenchConfig) -> Figures:
    """Requests/s, p50/p95/p99 latency and errors of `wortlaut serve` on >= 100,000 quotations under 50
    clients, alone and while two `wortlaut ingest` processes write into the same store."""
    examples = example_articles(config)
    figures: Figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        figures.update(
            {
                f"sqlite_{k}": v
                for k, v in serve_backend(str(Path(tmp) / "serve.sqlite"), examples, config, Path(tmp)).items()
            }
        )
    try:
        with temporary_server() as admin, tempfile.TemporaryDirectory() as tmp:
            pg = serve_backend(create_database(admin, "serve"), examples, config, Path(tmp))
            figures.update({f"postgres_{k}": v for k, v in pg.items()})
    except FileNotFoundError as err:
        figures["postgres"] = f"skipped: {err}"
    return figures
