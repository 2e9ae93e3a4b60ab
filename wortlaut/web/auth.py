"""Signing in: roles, CSRF checks on every write, login throttling, private mode (sessions: sessions.py).

Every write sends the session's CSRF token back (forms as the `csrf` field, JSON calls in the `X-CSRF-Token`
header): a page on another site cannot know it, so it cannot write in a reviewer's name (synchronizer token
pattern). Reviewers correct quotations; admins also change speakers.

The signing secret is `WORTLAUT_SECRET`; without it, a random one is made when the server starts (`serve`
hands it to all its workers), so a restart signs everyone out. Failed logins are counted per name and per
client address in the store, shared by all server processes (see LoginThrottle); behind a proxy every client
has the proxy's address, so there the per-client count holds back all of them together.
"""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..api import Store
from . import templating
from .sessions import COOKIE, Session, SessionCookies, session_of

SECRET_ENV = "WORTLAUT_SECRET"
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"


def secret_from_environment() -> str:
    """`WORTLAUT_SECRET`, or a fresh random secret (put into the environment so worker processes share it)."""
    return os.environ.setdefault(SECRET_ENV, secrets.token_urlsafe(32))


@dataclass(frozen=True)
class LoginThrottle:
    """Failed logins per key (a name, a client address): after `free` failures each attempt waits, the wait
    doubling with every further failure up to `longest`. Counted in the store, so all server processes share
    the counts (`serve --workers N` gives a guesser no more attempts than one process)."""

    store: Store
    free: int = 5
    first_wait: float = 30.0
    longest: float = 900.0

    def wait(self, keys: list[str]) -> float:
        """Seconds until these keys may try again (0: now)."""
        return self.store.login_wait(keys)

    def lock_for(self, failures: int) -> float:
        """How long a key with this many failures waits before its next attempt."""
        if failures < self.free:
            return 0.0
        return min(self.first_wait * 2.0 ** (failures - self.free), self.longest)

    def failed(self, keys: list[str]) -> None:
        self.store.login_failed(keys, self.lock_for)

    def succeeded(self, name_key: str) -> None:
        """A right password clears the name's count, not the client's: one's own account cannot reset a
        guesser's count for the others."""
        self.store.login_succeeded([name_key])


def throttle_keys(request: Request, name: str) -> list[str]:
    """[the name's key, the client's key]."""
    return [f"name:{name.casefold()}", f"client:{request.client.host if request.client else '-'}"]


def role_of(store: Store, name: str) -> str | None:
    """The account's role, None when there is no such account (any more)."""
    account = store.user(name)
    return account.role if account else None


SessionDep = Annotated[Session, Depends(session_of)]


def forbidden(request: Request, key: str) -> HTTPException:
    """403 with the reason in the reader's language (in English for the JSON API)."""
    english = request.url.path.startswith("/api")
    return HTTPException(403, templating.english(key) if english else templating.messages(request)(key))


def signed_in(request: Request) -> Session:
    """A reviewer's session, else 403."""
    session = session_of(request)
    if not session.reviewer:
        raise forbidden(request, "auth.forbidden")
    return session


async def csrf_token_sent(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    if request.headers.get("content-type", "").startswith(("application/x-www-form-urlencoded", "multipart/")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def check_csrf(request: Request, session: Session) -> None:
    """403 unless the request carries this session's CSRF token."""
    sent = await csrf_token_sent(request)
    if not session.csrf or not hmac.compare_digest(sent.encode(), session.csrf.encode()):
        raise forbidden(request, "auth.csrf")


async def reviewer_write(request: Request) -> Session:
    """Every reviewer write route depends on this: signed in as reviewer or admin, CSRF token checked."""
    session = signed_in(request)
    await check_csrf(request, session)
    return session


async def admin_write(request: Request) -> Session:
    """Writes to speakers (rename, merge, split, kind, undo): admins only."""
    session = signed_in(request)
    if not session.admin:
        raise forbidden(request, "auth.admins_only")
    await check_csrf(request, session)
    return session


async def session_write(request: Request) -> Session:
    """Signing in and out: any visitor with a session (the sign-in page gives one), CSRF token checked."""
    session = session_of(request)
    await check_csrf(request, session)
    return session


Middleware = Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]


def session_middleware(
    store: Store, cookies: SessionCookies, private: bool, sign_in_url: str, open_paths: tuple[str, ...]
) -> Middleware:
    """Load the session (its role from the store); with `private`, only the sign-in page and the assets are
    open to visitors who are not signed in (`open_paths`): pages redirect to `sign_in_url`, the API answers 401."""

    async def middleware(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        session = cookies.load(request.cookies.get(COOKIE))
        if session and session.user:
            role = await run_in_threadpool(role_of, store, session.user)
            session = Session(session.user, session.csrf, session.issued, role) if role else None
        request.state.session = session
        if private and not (session and session.reviewer) and not request.url.path.startswith(open_paths):
            if request.url.path.startswith("/api"):
                return JSONResponse({"detail": "sign in first"}, status_code=401)
            return RedirectResponse(sign_in_url, status_code=303)
        return await call_next(request)

    return middleware
