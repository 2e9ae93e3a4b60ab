"""The web interface: server-rendered pages and a JSON API over one Store, both using the store's read API.

    from wortlaut.api import open_store
    from wortlaut.web.app import create_app
    app = create_app(open_store("wortlaut.sqlite"))   # then: uvicorn, or `wortlaut serve`

Every asset (CSS, JS, Swagger UI) is served from wortlaut/web/static, so the app works offline. Links are
root-relative unless a base URL is given (`serve --base-url`); never taken from the request's Host header.
Anyone may read; signed-in reviewers correct quotations, admins change speakers (see auth.py); with
`private=True` only the sign-in page is open to visitors who are not signed in.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from ..api import Store, open_store
from ..settings import VERSION
from . import api_routes, auth, errors, overview, pages, review_pages, sessions
from .cache import PageCache, PageCacheMiddleware
from .links import Links


def create_app(
    store: Store, base_url: str = "", *, private: bool = False, secret: str | None = None, cache: bool = True
) -> FastAPI:
    """The FastAPI app for one open Store (the caller owns and closes the store); `secret` signs the session
    cookies (default: `WORTLAUT_SECRET`, else a random one); `cache` keeps rendered pages for visitors who are
    not signed in (see cache.py; a private site has none)."""
    app = FastAPI(
        title="wortlaut",
        summary="Who said what, to whom, how and when: quotations in German news.",
        version=VERSION,
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.links = Links(app.router, base_url)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.state.session_cookies = sessions.SessionCookies(
        secret or auth.secret_from_environment(), secure=base_url.lower().startswith("https://")
    )
    app.state.login_throttle = auth.LoginThrottle(store)
    app.include_router(api_routes.router)
    for router in review_pages.ROUTERS:
        app.include_router(router)
    app.include_router(pages.router)
    app.include_router(overview.overview_router(store))
    sign_in = app.router.url_path_for("sign_in_page")
    app.middleware("http")(
        auth.session_middleware(
            store, app.state.session_cookies, private, app.state.links("sign_in_page"), (sign_in, "/static/")
        )
    )
    errors.install(app)
    app.state.page_cache = PageCache() if cache and not private else None
    if app.state.page_cache is not None:
        app.add_middleware(PageCacheMiddleware, generation=store.generation, cache=app.state.page_cache)
    return app


#: How `serve --workers N` tells each worker process which store to open, which base URL to use, whether the
#: site is private and whether pages are cached (the signing secret goes as WORTLAUT_SECRET).
STORE_ENV, BASE_URL_ENV, PRIVATE_ENV = "WORTLAUT_SERVE_DB", "WORTLAUT_SERVE_BASE_URL", "WORTLAUT_SERVE_PRIVATE"
NO_CACHE_ENV = "WORTLAUT_SERVE_NO_CACHE"


def app_from_environment() -> FastAPI:
    """One worker's app when `wortlaut serve --workers N` runs several processes: each opens its own store."""
    return create_app(
        open_store(os.environ[STORE_ENV]),
        base_url=os.environ.get(BASE_URL_ENV, ""),
        private=os.environ.get(PRIVATE_ENV) == "1",
        cache=os.environ.get(NO_CACHE_ENV) != "1",
    )
