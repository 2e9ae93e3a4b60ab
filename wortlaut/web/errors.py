"""Error responses and the security headers every response carries, errors and crashes included."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..api import QueryError
from . import i18n, templating

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
log = logging.getLogger(__name__)


def with_security_headers(response: Response) -> Response:
    """Defence in depth behind the escaping: no inline or foreign script may run, nothing loads from elsewhere."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def error_page(request: Request, status: int, message: str) -> Response:
    t = templating.messages(request)
    key = f"error.{status}"
    reason = t(key) if key in i18n.MESSAGES[t.lang] else t("error.other")
    return templating.page(request, "error.html", status, status=status, reason=reason, message=message)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if wants_json(request):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
    return error_page(request, exc.status_code, str(exc.detail))


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", "invalid"), "type": e.get("type", "value_error")}
        for e in exc.errors()
    ]
    if wants_json(request):
        return JSONResponse({"detail": errors}, status_code=422)
    return error_page(request, 422, "; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in errors))


async def query_error(request: Request, exc: Exception) -> Response:
    """A search query that cannot be read: 400 with the parser's one-line reason."""
    assert isinstance(exc, QueryError)
    if wants_json(request):
        return JSONResponse({"detail": str(exc)}, status_code=400)
    return error_page(request, 400, str(exc))


async def server_error(request: Request, exc: Exception) -> Response:
    """A crash: logged with its traceback, answered without details and with the same headers as any page.

    Starlette sends this response from its outermost layer, past the header middleware, so it adds them itself.
    """
    log.exception("error in %s %s", request.method, request.url.path, exc_info=exc)
    if wants_json(request):
        response: Response = JSONResponse({"detail": "internal server error"}, status_code=500)
    else:
        response = error_page(request, 500, templating.messages(request)("error.internal"))
    return with_security_headers(response)


def install(app: FastAPI) -> None:
    """Error handlers for HTTP errors, invalid parameters and crashes, and the security headers on everything."""
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(QueryError, query_error)
    app.add_exception_handler(Exception, server_error)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        return with_security_headers(await call_next(request))
