"""Shared pytest fixtures. Add yours below; keep each fixture self-contained.

`postgres_url` starts a real, throw-away PostgreSQL 15 server for the test session (initdb + pg_ctl on a
temporary directory, listening only on a unix socket there). initdb refuses to run as root, so as root
the server runs as the `postgres` system user.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Iterator

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PG_BIN = Path(os.environ.get("WORTLAUT_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_PORT = 54329  # only names the socket file; nothing listens on TCP


def _as_server_user(args: list[str]) -> list[str]:
    """Prefix a command so it runs as `postgres` when we are root (initdb refuses root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A running PostgreSQL server for the session; yields the socket directory to connect through."""
    if not (PG_BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL binaries not found in {PG_BIN} (install postgresql or set WORTLAUT_PG_BIN)")
    root = Path(tempfile.mkdtemp(prefix="wortlaut-pg-"))
    data, socket_dir = root / "data", root / "sock"
    socket_dir.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(socket_dir, "postgres")
    root.chmod(0o755)
    run = lambda args: subprocess.run(_as_server_user(args), check=True, capture_output=True, text=True)  # noqa: E731
    run([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"])
    options = f"-k {socket_dir} -c listen_addresses='' -p {PG_PORT} -c fsync=off -c full_page_writes=off"
    run([str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"])
    try:
        yield str(socket_dir)
    finally:
        subprocess.run(_as_server_user([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A fresh, empty database on the session server (one per test, so tests never see each other's rows)."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    admin = f"postgresql://postgres@/postgres?host={postgres_server}&port={PG_PORT}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"postgresql://postgres@/{name}?host={postgres_server}&port={PG_PORT}"


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same store test against both backends: a SQLite file and a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite")
    return request.getfixturevalue("postgres_url")
