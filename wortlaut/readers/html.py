"""The main text and metadata of an HTML page, boilerplate (menus, ads) left out.

trafilatura works on an lxml tree, and libxml2 cuts a tree off 255 levels deep: the text of a deeply
nested page is simply not in it. When trafilatura finds nothing (or fails), the page's plain text is read
with the standard library's streaming parser instead, which keeps no tree and so has no depth limit.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from ..document import Document, content_id
from .errors import InputError

#: Elements whose start or end begins a new paragraph of the plain text.
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)
#: Elements whose content is code, not text.
CODE_TAGS = frozenset({"script", "style"})


class PlainText(HTMLParser):
    """Collects a page's title and its text as paragraphs, without building a tree."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[list[str]] = [[]]
        self.title: list[str] = []
        self.in_title = False
        self.in_code = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_code = tag in CODE_TAGS
        self.in_title = tag == "title"
        if tag in BLOCK_TAGS:
            self.paragraphs.append([])

    def handle_endtag(self, tag: str) -> None:
        self.in_code = self.in_title = False
        if tag in BLOCK_TAGS:
            self.paragraphs.append([])

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.in_code:
            self.paragraphs[-1].append(data)

    def text(self) -> str:
        lines = (" ".join("".join(parts).split()) for parts in self.paragraphs)
        return "\n\n".join(line for line in lines if line)


def plain_text(html: str) -> tuple[str | None, str]:
    """(title, text) of a page by its markup alone: every paragraph, boilerplate included."""
    parser = PlainText()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.title).split()) or None, parser.text()


def main_text(html: str, url: str | None) -> Any:
    """trafilatura's extraction, or None when it finds no text or fails on the page."""
    import trafilatura

    try:
        extracted = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    except Exception:  # a third-party parser on arbitrary web pages: any failure means "use the fallback"
        return None
    text = getattr(extracted, "text", None)  # a trafilatura Document, never a dict (as_dict is off)
    return extracted if isinstance(text, str) and text.strip() else None


def parse_html(html: str, url: str | None = None, doc_id: str | None = None) -> Document:
    """Main text and metadata via trafilatura (boilerplate left out), else the plain text of the markup."""
    extracted = main_text(html, url)
    if extracted is None:
        title, body = plain_text(html)
        doc = Document(text=body, url=url)
    else:
        title, body = (extracted.title or "").strip() or None, extracted.text.strip()
        source = extracted.sitename or extracted.hostname or None
        doc = Document(text=body, date=extracted.date, url=url or extracted.url, source=source, author=extracted.author)
    if not body:
        raise InputError("no article text found in HTML")
    doc.title = title
    doc.text = f"{title}\n\n{body}" if title and not body.startswith(title) else body
    doc.id = doc_id or content_id(doc.text)
    return doc
