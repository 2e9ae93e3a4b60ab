"""wortlaut: who said what, to whom, how and when — quotation attribution for German news."""
from .api import analyze, analyze_many
from .document import Document, Entity, Quotation, Span, Token

__all__ = ["analyze", "analyze_many", "Document", "Entity", "Quotation", "Span", "Token"]
__version__ = "0.1.0"
