"""Articles out of WARC web archives (warcio): every HTML page, main text and metadata via trafilatura.

A record that is not an article is passed over; one that fails is reported by its byte offset; a corrupt
archive ends with an error after the pages before the damage.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import settings
from ..document import Document
from .errors import IngestError, InputError
from .html import parse_html

_CHARSET = re.compile(r"charset=([\w.:-]+)", re.I)


def record_html(record: Any) -> str:
    """A response record's body as text, in the charset its HTTP header names (UTF-8 otherwise)."""
    data: bytes = record.content_stream().read(settings.MAX_HTML_BYTES + 1)
    if len(data) > settings.MAX_HTML_BYTES:
        raise InputError(f"page larger than {settings.MAX_HTML_BYTES // 1_000_000} MB, not extracted")
    match = _CHARSET.search(record.http_headers.get_header("Content-Type") or "")
    for charset in ([match.group(1)] if match else []) + ["utf-8", "cp1252"]:
        try:
            return data.decode(charset)
        except (UnicodeDecodeError, LookupError):
            continue
    raise InputError("undecodable page")


def is_html_response(record: Any) -> bool:
    """200 responses whose content type is HTML; requests, metadata, images and redirects are not articles."""
    if record.rec_type != "response" or record.http_headers is None:
        return False
    if record.http_headers.get_statuscode() != "200":
        return False
    return "html" in (record.http_headers.get_header("Content-Type") or "").lower()


def read_warc(path: Path) -> Iterator[Document | IngestError]:
    """Every HTML page in a WARC or WARC.gz file, main text and metadata via trafilatura.

    A truncated or corrupt archive yields an error naming the byte offset, after the pages before it.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with open(path, "rb") as stream:
        records = ArchiveIterator(stream)
        offset = 0
        try:
            for record in records:
                offset = records.offset  # start of this record (get_record_offset() would consume it)
                if not is_html_response(record):
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                try:
                    doc = parse_html(record_html(record), url=url)
                except InputError as err:
                    yield IngestError(f"{path}: record at byte {offset} ({url})", str(err))
                else:
                    doc.origin = f"{path}: record at byte {offset}"
                    yield doc
        except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error) as err:
            yield IngestError(f"{path}: record after byte {offset}", f"corrupt archive, rest skipped ({err})")
