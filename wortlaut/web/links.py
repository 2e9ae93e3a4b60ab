"""Links to the app's own pages: never built from the request's Host header, every id percent-encoded.

An id is whatever `ingest` accepted (`a/b`, `x?y=1`, `50%`, `ä ö`), so each goes into a URL as one
encoded path segment; the routes take ids with Starlette's `path` converter, which gets them back whole.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.routing import Router


def encoded(value: str) -> str:
    """One URL path segment or fragment: `/`, `?`, `#`, `%` and spaces included."""
    return quote(value, safe="")


class Links:
    """Paths from route names; relative to the site root, or under a configured base URL (`serve --base-url`)."""

    def __init__(self, router: Router, base_url: str = "") -> None:
        self.router = router
        self.base = base_url.rstrip("/")

    def __call__(self, name: str, **params: str) -> str:
        path = self.router.url_path_for(name, **{key: encoded(value) for key, value in params.items()})
        return f"{self.base}{path}"
