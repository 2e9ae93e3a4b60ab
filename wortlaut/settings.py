"""Every path, limit and version wortlaut uses, in one place, so a user can find and change them.

Limits are module constants (tests and the benchmark set them by monkeypatching); paths that depend on
where wortlaut runs can be overridden with environment variables.
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

try:
    VERSION = version("wortlaut")
except PackageNotFoundError:  # imported from a source tree that was never installed
    VERSION = "0.0.0"

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
MODEL_DIR = PACKAGE_DIR / "models"
#: Where the annotated data and the official scorer sit: ../shared beside a clone, or $WORTLAUT_SHARED.
SHARED_DIR = Path(os.environ.get("WORTLAUT_SHARED") or REPO_DIR.parent / "shared")
DATA_DIR = SHARED_DIR / "data" / "quotations-de"
DEV_GOLD = DATA_DIR / "dev.jsonl"
#: The dataset's public home, named when `train` or `eval` cannot find it.
DATA_HOME = "the authors' repository uhh-lt/german-news-quotation-attribution-2024 on GitHub"
#: Example articles shipped with the repository (the demo and the tests that need no dataset).
EXAMPLES_DIR = REPO_DIR / "examples"
#: Tokenised training documents are cached here between `train` runs.
CACHE_DIR = Path(os.environ.get("WORTLAUT_CACHE") or Path.home() / ".cache" / "wortlaut")

#: The store used when no --db is given.
DEFAULT_DB = "wortlaut.sqlite"

# ---- analysis ---------------------------------------------------------------------------------------
#: Longer articles are analysed in paragraph-aligned pieces of about this many characters.
PIECE_CHARS = 100_000
#: Characters of an article's opening the language detector looks at.
LANGUAGE_SAMPLE = 3000

#: Seconds one article's analysis may take before it is given up and reported (0: no limit), so one
#: pathological article cannot hold back the articles batched with it. `--time-limit` on ingest/analyze.
TIME_LIMIT = 120.0

# ---- parallel analysis ------------------------------------------------------------------------------
#: Documents per task sent to a worker: enough to amortise pickling, few enough to keep all workers busy.
CHUNK_SIZE = 4
#: Tasks queued per worker ahead of the one being read, so memory stays flat however long the stream is.
TASKS_AHEAD = 4
#: `--workers 0` (the default) uses one process below this many articles (or when the count is unknown):
#: starting a pool and loading the pipeline in each worker costs more than a few articles take.
PARALLEL_MIN_ARTICLES = 8

# ---- ingest -----------------------------------------------------------------------------------------
#: A batch is committed after this much text even if it has fewer articles.
BATCH_CHARS = 2_000_000
#: Articles from this size on get a note (they take a while).
HUGE_CHARS = 1_000_000
#: An HTML page is parsed into a DOM whole; past this size it is refused, not analysed.
MAX_HTML_BYTES = 20_000_000

# ---- serve ------------------------------------------------------------------------------------------
#: Each server process keeps at most this many rendered pages for visitors who are not signed in
#: (`serve --no-cache` turns the cache off), and at most this many bytes of them; larger pages are not kept.
PAGE_CACHE_ENTRIES = 4096
PAGE_CACHE_BYTES = 64 * 1024 * 1024
PAGE_CACHE_LARGEST = 1024 * 1024
