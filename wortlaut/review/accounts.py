"""Reviewer accounts: names, roles and passwords hashed with scrypt (a memory-hard password KDF), never stored
in the clear or with a fast hash. The store keeps the hashes; this module makes and checks them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

ROLES = ("reviewer", "admin")
#: scrypt cost: 2**15 iterations of 8-block mixing, ~32 MB and ~0.1 s a check — slow for a guesser, fine at login.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
MIN_PASSWORD = 10
_NAME = re.compile(r"[A-Za-z0-9_.@-]{1,64}")


class AccountError(ValueError):
    """A name, role or password that cannot be used."""


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise AccountError(f"user name {name!r}: use 1–64 letters, digits or _ . @ -")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"role {role!r}: expected one of {', '.join(ROLES)}")
    return role


def hash_password(password: str) -> str:
    """'scrypt$N$r$p$salt$hash' with a fresh random salt."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password too short: at least {MIN_PASSWORD} characters")
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)])


def verify_password(password: str, stored: str) -> bool:
    """Constant-time check of a password against a stored hash (False for anything malformed)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = _scrypt(password, _unb64(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, _unb64(digest))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=128 * n * r * 2, dklen=32)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
