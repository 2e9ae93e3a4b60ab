"""`wortlaut serve`: the web interface and the JSON API."""

from __future__ import annotations

import ipaddress
import os

import typer

from .common import DB_OPTION, err_console, open_store_or_exit, require_extra

commands: typer.Typer = typer.Typer()


@commands.command()
def serve(
    db: str | None = DB_OPTION,
    host: str = typer.Option("127.0.0.1", help="Interface to listen on (the default keeps it on this machine)."),
    port: int = typer.Option(8000, min=0, max=65535, help="TCP port."),
    base_url: str = typer.Option(
        "", help="Public address the links start with, e.g. https://example.org/wortlaut (default: root-relative)."
    ),
    workers: int = typer.Option(
        1, min=0, help="Server processes, each with its own store connection (0: one per core)."
    ),
    private: bool = typer.Option(
        False, "--private", help="Only signed-in reviewers see anything; everyone else gets the sign-in page."
    ),
    no_cache: bool = typer.Option(
        False,
        "--no-cache",
        help="Render every page afresh (default: pages for visitors who are not signed in are kept until the "
        "store changes).",
    ),
) -> None:
    """The web interface: articles with highlighted quotations, speakers, search, network, and the JSON API.

    Reviewers sign in at /anmelden (accounts: `wortlaut users add`). Sessions are signed with $WORTLAUT_SECRET,
    or with a random secret made now, so that a restart signs everyone out."""
    require_extra(("fastapi", "uvicorn", "jinja2"), "web", "wortlaut serve")
    import uvicorn

    from ..web.app import BASE_URL_ENV, NO_CACHE_ENV, PRIVATE_ENV, STORE_ENV, create_app
    from ..web.auth import secret_from_environment

    workers = workers or os.cpu_count() or 1
    if not local_address(host) and not base_url.lower().startswith("https://"):
        err_console.print(
            f"warning: serving on {host}, reachable from other machines, without https: passwords and sessions "
            "cross the network in the clear. Put an https proxy in front and pass --base-url https://...",
            highlight=False,
        )
    secret_from_environment()  # one signing secret for every worker process
    with open_store_or_exit(db) as store:
        err_console.print(f"serving {store.url} on http://{host}:{port}/ (API docs at /docs)", highlight=False)
        if workers == 1:
            web_app = create_app(store, base_url=base_url, private=private, cache=not no_cache)
            uvicorn.run(web_app, host=host, port=port, log_level="warning", access_log=False)
            return
        url = store.url
    os.environ[STORE_ENV], os.environ[BASE_URL_ENV], os.environ[PRIVATE_ENV] = url, base_url, "1" if private else ""
    os.environ[NO_CACHE_ENV] = "1" if no_cache else ""
    uvicorn.run(
        "wortlaut.web.app:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
    )


def local_address(host: str) -> bool:
    """Whether `host` is reachable from this machine only (a loopback name or address)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
