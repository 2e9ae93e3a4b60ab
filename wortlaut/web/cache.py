"""Rendered responses for visitors who are not signed in, kept while the store stays at the same generation.

A store's generation (`Store.generation`) counts its committed write transactions, whichever process made
them: an ingest, another server process, a reviewer. Every cacheable request reads it first and a change
empties the cache, so a page is never older than the last write the request could see. Only GETs without a
session cookie are answered from the cache: a signed-in reviewer's pages carry a CSRF token and review forms,
so they are always rendered afresh. Static assets and responses that set a cookie or failed (5xx) are not kept.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from starlette.concurrency import run_in_threadpool
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import settings
from . import i18n, sessions

#: The request as far as a page depends on it: path, query, the reader's language cookie, and the day
#: (views such as the dashboard count back from today).
Key = tuple[str, bytes, str, str]


@dataclass(frozen=True)
class Cached:
    start: Message
    body: bytes


class PageCache:
    """Least recently used responses of one store generation, bounded in count and in bytes."""

    def __init__(
        self,
        entries: int = settings.PAGE_CACHE_ENTRIES,
        size: int = settings.PAGE_CACHE_BYTES,
        largest: int = settings.PAGE_CACHE_LARGEST,
    ) -> None:
        self.entries, self.size, self.largest = entries, size, largest
        self.kept: OrderedDict[Key, Cached] = OrderedDict()
        self.bytes = 0
        self.generation: int | None = None

    def get(self, key: Key, generation: int) -> Cached | None:
        """The response kept for this request; a newer generation than the cache's empties it first."""
        if generation != self.generation:
            self.kept.clear()
            self.bytes = 0
            self.generation = generation
            return None
        found = self.kept.get(key)
        if found is not None:
            self.kept.move_to_end(key)
        return found

    def put(self, key: Key, generation: int, response: Cached) -> None:
        """Keep the response, unless the store moved on while it was made (it may show the older state)."""
        if generation != self.generation or len(response.body) > self.largest:
            return
        previous = self.kept.pop(key, None)
        if previous is not None:
            self.bytes -= len(previous.body)
        self.kept[key] = response
        self.bytes += len(response.body)
        while len(self.kept) > self.entries or self.bytes > self.size:
            _, dropped = self.kept.popitem(last=False)
            self.bytes -= len(dropped.body)


def request_cookies(scope: Scope) -> dict[str, str]:
    """The request's cookies, read as leniently as Starlette reads them for the app."""
    cookies: dict[str, str] = {}
    for name, value in scope["headers"]:
        if name == b"cookie":
            cookies.update(cookie_parser(value.decode("latin-1")))
    return cookies


def cache_key(scope: Scope) -> Key | None:
    """The key of a cacheable request, None for one that must reach the app (not a GET, a session, an asset)."""
    if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith("/static/"):
        return None
    cookies = request_cookies(scope)
    if sessions.COOKIE in cookies:
        return None
    return scope["path"], scope["query_string"], cookies.get(i18n.COOKIE, ""), date.today().isoformat()


def keepable(start: Message) -> bool:
    return start["status"] < 500 and not any(name == b"set-cookie" for name, _ in start["headers"])


class PageCacheMiddleware:
    """ASGI middleware answering cacheable requests from a PageCache (outermost, so a hit skips everything)."""

    def __init__(self, app: ASGIApp, generation: Callable[[], int], cache: PageCache) -> None:
        self.app, self.generation, self.cache = app, generation, cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = cache_key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        generation = await run_in_threadpool(self.generation)  # read before the page reads anything
        hit = self.cache.get(key, generation)
        if hit is not None:
            await send(hit.start)
            await send({"type": "http.response.body", "body": hit.body})
            return
        start: Message = {}
        chunks: list[bytes] = []
        size = 0

        async def keep(message: Message) -> None:
            nonlocal start, size
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and size <= self.cache.largest:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if not message.get("more_body", False) and keepable(start):
                    self.cache.put(key, generation, Cached(start, b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, keep)
