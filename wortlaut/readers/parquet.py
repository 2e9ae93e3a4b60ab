"""Articles out of Parquet files with a `text` column (and optional metadata columns), row by row, through
the JSONL record parser, so a Parquet dump and a JSONL dump give the same Documents."""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime
from pathlib import Path
from typing import Any

from ..document import Document
from .errors import IngestError, InputError
from .files import parse_jsonl_record

PARQUET_SUFFIXES = {".parquet", ".parq"}
PARQUET_FIELDS = ("text", "id", "title", "date", "url", "source", "author")


def is_parquet(path: Path) -> bool:
    return path.suffix.lower() in PARQUET_SUFFIXES


def _plain(value: Any) -> Any:
    """Parquet dates and timestamps become ISO strings, as the JSONL contract has them."""
    if isinstance(value, (Date, datetime)):
        return value.isoformat()
    return value


def local_path(uri: str) -> str:
    """Spark reports local files as file:/path; error lines name the path the user gave."""
    return uri.removeprefix("file://").removeprefix("file:")


def parquet_record(row: Any) -> Document | IngestError:
    """One Parquet row (text + optional metadata columns) through the JSONL record parser."""
    values = row.asDict(recursive=True)
    meta = values.pop("_metadata")
    where = f"{local_path(meta['file_path'])}:row {meta['row_index'] + 1}"
    record = {name: _plain(value) for name, value in values.items() if value is not None}
    try:
        return parse_jsonl_record(record)
    except InputError as err:
        return IngestError(where, str(err))
