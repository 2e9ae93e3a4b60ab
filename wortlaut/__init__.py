"""wortlaut: who said what, to whom, how and when — quotation attribution for German news."""

from .api import (
    IngestError,
    IngestReport,
    QuotationHit,
    SearchFilters,
    Store,
    analyze,
    analyze_each,
    analyze_many,
    export,
    ingest,
    open_store,
    read,
    reanalyze,
    search,
)
from .document import Document, Entity, Quotation, Span, Token
from .settings import VERSION as __version__

__all__ = [
    "Document",
    "Entity",
    "IngestError",
    "IngestReport",
    "Quotation",
    "QuotationHit",
    "SearchFilters",
    "Span",
    "Store",
    "Token",
    "__version__",
    "analyze",
    "analyze_each",
    "analyze_many",
    "export",
    "ingest",
    "open_store",
    "read",
    "reanalyze",
    "search",
]
