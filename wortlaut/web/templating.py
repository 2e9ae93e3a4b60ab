"""Rendering a page: the template gets the reader's language, the link builder and a language switch."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ..document import MEDIA, PARTS, QUOTATION_TYPES
from . import i18n, render, sessions
from .links import Links, encoded

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.globals.update(mark=render.marked, parts=PARTS, types=QUOTATION_TYPES, media=MEDIA)
TEMPLATES.env.filters["encoded"] = encoded
TEMPLATES.env.auto_reload = False  # templates are package files: no need to stat them on every page
YEAR = 365 * 24 * 3600


def messages(request: Request) -> i18n.Messages:
    """The reader's language: `?lang=` first, then the remembered cookie, then German."""
    return i18n.Messages(i18n.language(request.query_params.get("lang"), request.cookies.get(i18n.COOKIE)))


def english(key: str) -> str:
    """A catalogue message for the JSON API, whose messages are English."""
    return i18n.Messages("en")(key)


def language_switch(request: Request, lang: str) -> str:
    """A query-only link to this same page in `lang` (relative, so an id in the path is never re-encoded)."""
    kept = [(key, value) for key, value in request.query_params.multi_items() if key != "lang"]
    return "?" + urlencode([*kept, ("lang", lang)])


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """The template as a response; a `?lang=` choice is remembered in a cookie for the next pages."""
    t = messages(request)
    other = next(lang for lang in i18n.LANGUAGES if lang != t.lang)
    links: Links = request.app.state.links
    response = TEMPLATES.TemplateResponse(
        request,
        name,
        {
            **context,
            **sessions.form_context(sessions.session_of(request)),
            "t": t,
            "url": links,
            "other_language": other,
            "switch_url": language_switch(request, other),
        },
        status_code=status_code,
    )
    response.headers["Content-Language"] = t.lang
    response.headers["Vary"] = "Cookie"
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, t.lang, max_age=YEAR, samesite="lax", httponly=True)
    return response
