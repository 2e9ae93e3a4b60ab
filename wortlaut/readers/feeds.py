"""Articles out of RSS/Atom feeds (feedparser): a Document per entry, an IngestError naming the entry
number and title for each one without usable text; one bad entry never stops the rest."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..document import Document, content_id
from .errors import IngestError, InputError

_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre")


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
        label = entry.get("title") or entry.get("link") or "untitled"
        try:
            doc = feed_document(entry, source)
        except (InputError, ValueError) as err:  # lxml raises ValueError/ParserError on broken fragments
            yield IngestError(f"{path}: entry {number} ({label})", str(err) or "unreadable HTML")
        else:
            doc.origin = f"{path}: entry {number}"
            yield doc
