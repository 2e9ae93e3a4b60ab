"""`python -m wortlaut` is the same command line as the `wortlaut` script."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import typer.core
import typer.main

import wortlaut
from wortlaut.cli import app


def test_python_m_wortlaut_lists_every_command() -> None:
    checkout = str(Path(wortlaut.__file__).parent.parent)  # the wortlaut this test imported, not another install
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [checkout, os.environ.get("PYTHONPATH")]))}
    result = subprocess.run(
        [sys.executable, "-m", "wortlaut", "--help"], capture_output=True, text=True, encoding="utf-8", env=env
    )
    assert result.returncode == 0, result.stderr
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    assert {"analyze", "ingest", "search", "speakers", "serve", "review", "train"} <= set(group.commands)
    listed = re.findall(r"^\W*\s([a-z][a-z-]*)\s{2,}", result.stdout, re.MULTILINE)
    assert listed == list(group.commands)
