"""Shared pytest fixtures. Add yours below; keep each fixture self-contained.

`postgres_server` starts a real, throw-away PostgreSQL 15 server for the test session (initdb + pg_ctl on
a temporary directory, unix socket only; as root it runs as the `postgres` user, since initdb refuses root).
`store_url` runs a test once on SQLite and once on a fresh PostgreSQL database.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from wortlaut.store.pgserver import create_database, temporary_server

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Admin URL of a PostgreSQL server running for the whole session."""
    with temporary_server(durable=False) as admin_url:
        yield admin_url


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A fresh, empty database on the session server (one per test, so tests never see each other's rows)."""
    return create_database(postgres_server, "t_" + uuid.uuid4().hex[:12])


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same store test against both backends: a SQLite file and a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite")
    return request.getfixturevalue("postgres_url")
