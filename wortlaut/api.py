"""The library API that the CLI, the web app and the Spark job are thin layers over."""
from __future__ import annotations

from typing import Iterable, Iterator

from .document import Document
from .pipeline import load_pipeline


def analyze(
    text: str | Document,
    *,
    extractor: str | None = None,
    id: str | None = None,
    title: str | None = None,
    date: str | None = None,
    url: str | None = None,
) -> Document:
    """Find every quotation in a German text (or a prepared Document) and resolve its speaker."""
    doc = text if isinstance(text, Document) else Document(text=text, id=id, title=title, date=date, url=url)
    return load_pipeline(extractor)(doc)


def analyze_many(docs: Iterable[Document], *, extractor: str | None = None) -> Iterator[Document]:
    """Analyse a stream of Documents with one loaded pipeline."""
    return load_pipeline(extractor).pipe(docs)
