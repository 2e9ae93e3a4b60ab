"""Articles out of RSS/Atom feeds (feedparser) and WARC web archives (warcio).

Both readers yield a Document per article and an IngestError per entry or record they cannot use,
naming the file and the entry number or record offset; one bad entry never stops the rest.
"""
from __future__ import annotations

import re
import time
import zlib
from pathlib import Path
from typing import Any, Iterator

from .document import Document
from .ingest import IngestError, InputError, content_id, parse_html

MAX_HTML_BYTES = 20_000_000  # an HTML page is parsed into a DOM whole; past this it is refused, not analysed
_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre")
_CHARSET = re.compile(r"charset=([\w.:-]+)", re.I)


def fragment_text(html: str) -> str:
    """Plain text of a feed entry's HTML fragment, one paragraph per block element."""
    import lxml.html

    root = lxml.html.fragment_fromstring(html, create_parent="div")
    blocks = [el for el in root.iter(*_BLOCKS) if not any(a.tag in _BLOCKS for a in el.iterancestors())]
    parts = [el.text_content() for el in blocks] if blocks else [root.text_content()]
    return "\n\n".join(" ".join(p.split()) for p in parts if p.strip())


def entry_date(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


def entry_body(entry: Any) -> str:
    """The fullest text an entry carries: content:encoded / atom:content, else the summary."""
    contents = [c.get("value", "") for c in entry.get("content", [])]
    html = max(contents, key=len) if contents else entry.get("summary", "")
    return fragment_text(html) if html and "<" in html else (html or "").strip()


def feed_document(entry: Any, source: str | None) -> Document:
    body = entry_body(entry)
    if not body:
        raise InputError("entry has no text (neither content nor summary)")
    title = " ".join((entry.get("title") or "").split()) or None
    text = f"{title}\n\n{body}" if title and not body.startswith(title) else body
    url = entry.get("link") or None
    return Document(
        text=text,
        id=content_id(entry.get("id") or url or text),
        title=title,
        date=entry_date(entry),
        url=url,
        source=source,
        author=entry.get("author") or None,
    )


def read_feed(path: Path) -> Iterator[Document | IngestError]:
    """Every entry of an RSS or Atom file; entries without text are reported by number and title."""
    import feedparser

    parsed = feedparser.parse(str(path))
    if not parsed.entries:
        reason = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
        yield IngestError(str(path), f"not an RSS/Atom feed with entries{reason}")
        return
    source = parsed.feed.get("title") or None
    for number, entry in enumerate(parsed.entries, 1):
        try:
            yield feed_document(entry, source)
        except (InputError, ValueError) as err:  # lxml raises ValueError/ParserError on broken fragments
            label = entry.get("title") or entry.get("link") or "untitled"
            yield IngestError(f"{path}: entry {number} ({label})", str(err) or "unreadable HTML")


def record_html(record: Any) -> str:
    """A response record's body as text, in the charset its HTTP header names (UTF-8 otherwise)."""
    data = record.content_stream().read(MAX_HTML_BYTES + 1)
    if len(data) > MAX_HTML_BYTES:
        raise InputError(f"page larger than {MAX_HTML_BYTES // 1_000_000} MB, not extracted")
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
                    yield parse_html(record_html(record), url=url)
                except InputError as err:
                    yield IngestError(f"{path}: record at byte {offset} ({url})", str(err))
        except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error) as err:
            yield IngestError(f"{path}: record after byte {offset}", f"corrupt archive, rest skipped ({err})")
