"""Readers: any mix of text files, HTML pages, JSONL dumps, RSS/Atom feeds, WARC archives, directories and
stdin turned into Documents. Like trafilatura's single entry point, `read_sources` yields a Document or
an IngestError for each article, in input order; one bad input never stops the rest."""

from .errors import IngestError, InputError
from .files import (
    FEED_SUFFIXES,
    JSONL_SUFFIXES,
    WARC_SUFFIXES,
    expand,
    parse_jsonl_record,
    read_path,
    read_sources,
    suffix_of,
)

__all__ = [
    "FEED_SUFFIXES",
    "JSONL_SUFFIXES",
    "WARC_SUFFIXES",
    "IngestError",
    "InputError",
    "expand",
    "parse_jsonl_record",
    "read_path",
    "read_sources",
    "suffix_of",
]
