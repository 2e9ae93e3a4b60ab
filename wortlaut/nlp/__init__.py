"""Linguistic pre-processing with tools that ship their own data: SoMaJo (tokens, sentences), HanTa (POS,
lemma, mood, with output-identical speed patches), lingua (language). Nothing is downloaded at run time."""

from .language import not_german
from .tagger import MemoTagger, hanover_tagger, hanta, paragraphs, somajo, tokenize

__all__ = ["MemoTagger", "hanover_tagger", "hanta", "not_german", "paragraphs", "somajo", "tokenize"]
