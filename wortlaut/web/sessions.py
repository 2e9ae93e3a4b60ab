"""Sessions: who is signed in, kept in a signed cookie (HttpOnly, SameSite=Lax, Secure when the base URL is
https) holding the user's name and a random CSRF token, signed with HMAC-SHA256. The role is not in the cookie:
the middleware (auth.py) reads it from the store on every request, so a removed account is signed out at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response

COOKIE = "wortlaut_session"
#: How long a sign-in lasts.
SESSION_SECONDS = 12 * 3600


@dataclass(frozen=True)
class Session:
    """Who is signed in (None: nobody yet, but a CSRF token for the sign-in form), and as what."""

    user: str | None
    csrf: str
    issued: int
    role: str | None = None

    @property
    def reviewer(self) -> bool:
        return self.role is not None

    @property
    def admin(self) -> bool:
        return self.role == "admin"


def new_session(user: str | None = None, role: str | None = None) -> Session:
    return Session(user, secrets.token_urlsafe(24), int(time.time()), role)


class SessionCookies:
    """Sessions in and out of signed cookies."""

    def __init__(self, secret: str, secure: bool) -> None:
        self.key = hashlib.sha256(("wortlaut-session:" + secret).encode()).digest()
        self.secure = secure

    def _sign(self, payload: bytes) -> str:
        return base64.urlsafe_b64encode(hmac.new(self.key, payload, hashlib.sha256).digest()).decode().rstrip("=")

    def dump(self, session: Session) -> str:
        payload = base64.urlsafe_b64encode(
            json.dumps({"u": session.user, "c": session.csrf, "t": session.issued}).encode()
        ).rstrip(b"=")
        return f"{payload.decode()}.{self._sign(payload)}"

    def load(self, value: str | None) -> Session | None:
        """The session in a cookie, or None when it is missing, forged or expired."""
        if not value or "." not in value:
            return None
        payload, _, signature = value.partition(".")
        if not hmac.compare_digest(self._sign(payload.encode()), signature):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            session = Session(data["u"], str(data["c"]), int(data["t"]))
        except (ValueError, KeyError, TypeError):
            return None
        return session if time.time() - session.issued < SESSION_SECONDS else None

    def attach(self, response: Response, session: Session) -> None:
        response.set_cookie(
            COOKIE, self.dump(session), max_age=SESSION_SECONDS, httponly=True, samesite="lax", secure=self.secure
        )

    def clear(self, response: Response) -> None:
        response.delete_cookie(COOKIE, httponly=True, samesite="lax", secure=self.secure)


def session_of(request: Request) -> Session:
    """The request's session (set by the middleware); anonymous when none."""
    session: Session | None = getattr(request.state, "session", None)
    return session or Session(None, "", 0)


def form_context(session: Session) -> dict[str, Any]:
    """What every page template gets about the visitor: who is signed in and the token for write forms."""
    return {"session": session, "csrf": session.csrf}
