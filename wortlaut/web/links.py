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


def _marker(key: str) -> str:
    """A stand-in for a parameter's value that no encoded value can contain (`encoded` turns NUL into %00)."""
    return f"\x00{key}\x00"


class Links:
    """Paths from route names; relative to the site root, or under a configured base URL (`serve --base-url`).

    The router is asked once per route name and set of parameters, for a template with a marker in place of
    each value: looking a name up walks every route, and a page links to hundreds of speakers and articles."""

    def __init__(self, router: Router, base_url: str = "") -> None:
        self.router = router
        self.base = base_url.rstrip("/")
        self.templates: dict[tuple[str, tuple[str, ...]], str] = {}

    def __call__(self, name: str, **params: str) -> str:
        keys = tuple(sorted(params))
        template = self.templates.get((name, keys))
        if template is None:
            path = self.router.url_path_for(name, **{key: _marker(key) for key in keys})
            template = self.templates[(name, keys)] = f"{self.base}{path}"
        for key, value in params.items():
            template = template.replace(_marker(key), encoded(value))
        return template
