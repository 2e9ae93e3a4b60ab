"""A throw-away local PostgreSQL server (initdb + pg_ctl on a temporary directory) for tests and benchmarks.

It listens only on a unix socket inside its directory, so it needs no free TCP port and is reachable by
nobody else. initdb refuses to run as root; as root the server runs as the `postgres` system user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def installed_pg_bin() -> Path:
    """The newest PostgreSQL server installed the Debian way (/usr/lib/postgresql/VERSION/bin)."""
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0
    )
    return versions[-1] if versions else Path("/usr/lib/postgresql/bin")


PG_BIN = Path(os.environ.get("WORTLAUT_PG_BIN") or installed_pg_bin())
PORT = 54329  # only names the socket file


def as_server_user(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _run(args: list[str]) -> None:
    done = subprocess.run(as_server_user(args), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed: {(done.stderr or done.stdout).strip()}")


@contextmanager
def temporary_server(durable: bool = True) -> Iterator[str]:
    """Start a server, yield its admin URL (database 'postgres'), stop and delete it afterwards.

    `durable=False` turns fsync off: fine for tests, whose data dies with the server anyway."""
    if not (PG_BIN / "initdb").exists():
        raise FileNotFoundError(
            f"PostgreSQL binaries not found in {PG_BIN} (install postgresql or set WORTLAUT_PG_BIN)"
        )
    root = Path(tempfile.mkdtemp(prefix="wortlaut-pg-"))
    data, socket_dir = root / "data", root / "sock"
    socket_dir.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(socket_dir, "postgres")
    root.chmod(0o755)
    try:
        _run([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"])
        options = f"-k {socket_dir} -c listen_addresses='' -p {PORT}"
        if not durable:
            options += " -c fsync=off -c full_page_writes=off"
        _run([str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"])
        try:
            yield f"postgresql://postgres@/postgres?host={socket_dir}&port={PORT}"
        finally:
            subprocess.run(
                as_server_user([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                capture_output=True,
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)


def create_database(admin_url: str, name: str) -> str:
    """A new empty database on the server; returns its URL."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.replace("/postgres?", f"/{name}?", 1)
