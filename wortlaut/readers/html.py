"""The main text and metadata of an HTML page, boilerplate (menus, ads) left out."""

from __future__ import annotations

from ..document import Document, content_id
from .errors import InputError


def parse_html(html: str, url: str | None = None, doc_id: str | None = None) -> Document:
    """Main text and metadata via trafilatura; boilerplate (menus, ads) is left out."""
    import trafilatura

    extracted = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if extracted is None or not (extracted.text or "").strip():
        raise InputError("no article text found in HTML")
    title = (extracted.title or "").strip() or None
    body = extracted.text.strip()
    full = f"{title}\n\n{body}" if title and not body.startswith(title) else body
    return Document(
        text=full,
        id=doc_id or content_id(full),
        title=title,
        date=extracted.date,
        url=url or extracted.url,
        source=extracted.sitename or extracted.hostname,
        author=extracted.author,
    )
